import { leaksOf } from './captured-logs';
import { abuseFailures, type AbuseReport } from './slow-clients';

const cut = { closedByServer: true, heldMs: 1_100, statusLine: 'HTTP/1.1 408 Request Timeout' };

describe('the verdicts of the edge tests', () => {
  it('finds nothing wrong with a server that cut every slow client with 408 and served while flooded', () => {
    const report: AbuseReport = { slowHeaders: [cut], slowBodies: [cut], floodSize: 10, floodClosed: 10, statusWhileFlooded: 200 };
    expect(abuseFailures(report)).toEqual([]);
  });

  it('names each slow client not cut with 408 and a flood that stopped the service', () => {
    const report: AbuseReport = {
      slowHeaders: [{ closedByServer: false, heldMs: 30_000 }],
      slowBodies: [{ ...cut, statusLine: 'HTTP/1.1 400 Bad Request' }],
      floodSize: 10,
      floodClosed: 0,
      statusWhileFlooded: 503,
    };
    expect(abuseFailures(report)).toEqual([
      'slow headers: held 30000 ms, never closed by the server',
      'slow body: held 1100 ms, closed with HTTP/1.1 400 Bad Request',
      'a request while flooded answered 503',
    ]);
  });

  it('finds every secret in every log line', () => {
    expect(leaksOf(['{"message":"ok"}', '{"token":"t0k3n","email":"a@b.c"}'], ['t0k3n', 'a@b.c', 'absent'])).toEqual([
      't0k3n in {"token":"t0k3n","email":"a@b.c"}',
      'a@b.c in {"token":"t0k3n","email":"a@b.c"}',
    ]);
  });
});
