import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  ActivityFollower,
  IJobEvent,
  activityApi,
  eventTime
} from '../training/JobActivity';

function event(message: string): IJobEvent {
  return { time: '1700000000000', level: 'Info', message, source: 'Job' };
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('the events and metrics follower', () => {
  it('appends new events, replaces metrics and stops once the job has ended', async () => {
    vi.useFakeTimers();
    const pages = [
      { total: 2, events: [event('Job created'), event('Job running')] },
      { total: 3, events: [event('Job completed')] }
    ];
    const offsets: number[] = [];
    vi.spyOn(activityApi, 'events').mockImplementation(async (_job, offset) => {
      offsets.push(offset);
      const page = pages.shift() ?? { total: 3, events: [] };
      return { ...page, terminal: pages.length === 0 };
    });
    const memory = [[12.5], [12.5, 20]];
    vi.spyOn(activityApi, 'metrics').mockImplementation(async () => ({
      task: 'worker-0',
      metrics: [{ metric: 'memUsage', value: memory.shift() ?? [] }],
      terminal: memory.length === 0
    }));
    const follower = new ActivityFollower('a-job');
    follower.start();
    while (follower.following) {
      await vi.advanceTimersByTimeAsync(2000);
    }
    expect(follower.events.map(e => e.message)).toEqual([
      'Job created',
      'Job running',
      'Job completed'
    ]);
    expect(offsets.slice(0, 2)).toEqual([0, 2]);
    expect(follower.metrics).toEqual([
      { metric: 'memUsage', value: [12.5, 20] }
    ]);
    expect(follower.task).toBe('worker-0');
  });

  it('keeps a failed read as its error and tries again', async () => {
    vi.useFakeTimers();
    const events = vi
      .spyOn(activityApi, 'events')
      .mockRejectedValueOnce(new Error('unreachable'))
      .mockResolvedValue({ total: 0, events: [], terminal: true });
    vi.spyOn(activityApi, 'metrics').mockResolvedValue({
      task: 'worker-0',
      metrics: [],
      terminal: true
    });
    const follower = new ActivityFollower('a-job');
    follower.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(follower.error).toBeInstanceOf(Error);
    expect(follower.following).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(follower.error).toBeNull();
    expect(follower.following).toBe(false);
    expect(events).toHaveBeenCalledTimes(2);
  });
});

describe('event times', () => {
  it('shows epoch milliseconds as local time and other text as given', () => {
    expect(eventTime('1700000000000')).toBe(
      new Date(1700000000000).toLocaleString()
    );
    expect(eventTime('2023-06-30T12:00:00Z')).toBe('2023-06-30T12:00:00Z');
    expect(eventTime(null)).toBe('');
  });
});
