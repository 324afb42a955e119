import { ServerConnection } from '@jupyterlab/services';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { APIError, fetchStatus, requestAPI } from '../api';

function settingsAnswering(status: number, body: string) {
  const fetchMock = vi.fn(
    async (_input: RequestInfo | URL, _init?: RequestInit) =>
      new Response(body, { status, statusText: status === 200 ? 'OK' : 'Bad' })
  );
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/lab-base/',
    fetch: fetchMock as unknown as typeof fetch
  });
  return { settings, fetchMock };
}

afterEach(() => vi.restoreAllMocks());

describe('requestAPI', () => {
  it('calls the versioned route under the base URL and returns the JSON body', async () => {
    const status = {
      backend: 'local',
      region: 'cn-north-4',
      project_id: null,
      account: 'Local ModelArts',
      endpoint: 'http://127.0.0.1:40123',
      credentials_present: true,
      version: '0.1.0'
    };
    const { settings, fetchMock } = settingsAnswering(
      200,
      JSON.stringify(status)
    );
    await expect(fetchStatus(settings)).resolves.toEqual(status);
    const requested = fetchMock.mock.calls[0][0] as Request | string;
    const url = new URL(
      typeof requested === 'string' ? requested : requested.url
    );
    expect(url.pathname).toBe('/lab-base/modelarts/api/v1/status');
  });

  it('turns the error shape into an APIError with field and upstream details', async () => {
    const { settings } = settingsAnswering(
      400,
      JSON.stringify({
        error: {
          code: 'INVALID',
          message: 'name is too long',
          field: 'name',
          upstream: { error_code: 'ModelArts.6101', request_id: 'r-1' }
        }
      })
    );
    const error = await requestAPI<never>(
      'jobs',
      { method: 'POST' },
      settings
    ).catch((e: APIError) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error.message).toBe('name is too long');
    expect(error.field).toBe('name');
    expect(error.status).toBe(400);
    expect((error as APIError).upstream?.error_code).toBe('ModelArts.6101');
  });

  it('reports a non-JSON failure by its HTTP status instead of a parse error', async () => {
    const { settings } = settingsAnswering(502, '<html>Bad gateway</html>');
    const error = await requestAPI<never>('status', {}, settings).catch(
      (e: APIError) => e
    );
    expect(error).toBeInstanceOf(APIError);
    expect(error.code).toBe('HTTP_502');
  });
});
