import { afterEach, describe, expect, it, vi } from 'vitest';

import { ILogChunk, trainingApi } from '../training/api';
import {
  LogFollower,
  logTitle,
  MAX_LOG_LINES,
  TAIL_LINES,
  versionName
} from '../training/LogViewer';

function chunk(lines: string[], endLine: string, terminal: boolean): ILogChunk {
  return {
    content: lines.length ? lines.join('\n') + '\n' : '',
    lines: lines.length,
    end_line: endLine,
    terminal,
    status: terminal ? 10 : 8,
    status_name: terminal ? 'completed' : 'running',
    status_meaning: ''
  } as ILogChunk;
}

function numbered(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `line ${from + i}`);
}

/** Runs the follower until it stops, answering its reads from `answers`. */
async function follow(
  answers: ILogChunk[],
  worker = '0'
): Promise<{
  follower: LogFollower;
  queries: unknown[];
}> {
  vi.useFakeTimers();
  const queries: unknown[] = [];
  vi.spyOn(trainingApi, 'log').mockImplementation(async (_job, _v, query) => {
    queries.push(query);
    return answers.shift() ?? chunk([], 'end', true);
  });
  const follower = new LogFollower(1, 1, worker);
  follower.start();
  while (follower.following) {
    await vi.advanceTimersByTimeAsync(1000);
  }
  return { follower, queries };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('the log follower', () => {
  it('starts from the last lines, then reads on from where they ended', async () => {
    const { follower, queries } = await follow([
      chunk(numbered(99_500, TAIL_LINES), '100000', false),
      chunk(numbered(100_000, 2), '100002', true)
    ]);
    expect(queries[0]).toEqual({
      api: 'lines',
      worker: '0',
      lines: TAIL_LINES
    });
    expect(queries[1]).toEqual({
      api: 'lines',
      worker: '0',
      base_line: '100000'
    });
    expect(follower.lines[0]).toBe('line 99500');
    expect(follower.lines[follower.lines.length - 1]).toBe('line 100001');
    expect(follower.truncated).toBe(true);
  });

  it("follows the picked worker's log and learns every worker's", async () => {
    const { follower, queries } = await follow(
      [
        {
          ...chunk(['worker 1 up'], '1', false),
          log_files: ['job.0', 'job.1']
        },
        chunk(['worker 1 done'], '2', true)
      ],
      '1'
    );
    expect(queries[1]).toEqual({ api: 'lines', worker: '1', base_line: '1' });
    expect(follower.lines).toEqual(['worker 1 up', 'worker 1 done']);
    expect(follower.logFiles).toEqual(['job.0', 'job.1']);
  });

  it('shows a short log whole, without the note', async () => {
    const { follower } = await follow([chunk(numbered(0, 3), '3', true)]);
    expect(follower.lines).toEqual(['line 0', 'line 1', 'line 2']);
    expect(follower.truncated).toBe(false);
  });

  it('keeps at most MAX_LOG_LINES however much the job writes', async () => {
    const batches = Array.from({ length: 25 }, (_, i) =>
      chunk(numbered(i * 1000, 1000), String((i + 1) * 1000), false)
    );
    const { follower } = await follow([chunk([], '0', false), ...batches]);
    expect(follower.lines).toHaveLength(MAX_LOG_LINES);
    expect(follower.lines[MAX_LOG_LINES - 1]).toBe('line 24999');
    expect(follower.truncated).toBe(true);
  });
});

describe('log tab titles', () => {
  it('name the job and the version', () => {
    expect(logTitle('train_iris', versionName(2))).toBe('train_iris V0002');
    expect(logTitle('train_iris', null)).toBe('train_iris');
  });
});
