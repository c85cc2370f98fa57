import type { RequestHandler } from 'express';
import type { Metrics } from '../observability/metrics';
import { finalStatusOf } from './request-logging';
import { routePatternOf } from './route-pattern';

/** HTTP RED metrics: rate and errors through the counter, duration through the histogram. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stopTimer = metrics.httpRequestDurationSeconds.startTimer();
    res.once('close', () => {
      const labels = { method: req.method, route: routePatternOf(req), status: String(finalStatusOf(res)) };
      metrics.httpRequestsTotal.inc(labels);
      stopTimer(labels);
    });
    next();
  };
}
