import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per app instance (tests run two in one process), served on GET /metrics. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    created: new Counter({
      name: 'orderbell_notifications_created_total',
      help: 'Notifications created, counted from the NOTIFYs this process heard',
      registers: [registry],
    }),
    delivered: new Counter({
      name: 'orderbell_notifications_delivered_total',
      help: 'Notifications written to an open stream (once per stream)',
      registers: [registry],
    }),
    emailed: new Counter({
      name: 'orderbell_notifications_emailed_total',
      help: 'Order notifications sent (or stored in the outbox) by the offline email fallback',
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'orderbell_notification_delivery_seconds',
      help: 'From the notification committing (its created_at) to its write to a live stream',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    openStreams: new Gauge({ name: 'orderbell_open_streams', help: 'Event streams open on this process', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
