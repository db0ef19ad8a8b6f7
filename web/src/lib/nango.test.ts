import { describe, expect, it } from 'vitest';
import { connectUiBaseUrl } from './nango';

describe('connectUiBaseUrl', () => {
  it('drops the session token and keeps the path', () => {
    expect(connectUiBaseUrl('https://connect.nango.dev/?session_token=nango_connect_session_abc'))
      .toBe('https://connect.nango.dev/');
    expect(connectUiBaseUrl('http://127.0.0.1:4100/connect-ui/?session_token=t#x'))
      .toBe('http://127.0.0.1:4100/connect-ui/');
  });
});
