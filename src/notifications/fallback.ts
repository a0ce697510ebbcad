import nodemailer from 'nodemailer';
import { money } from '../../views/format.ts';
import type { Config } from '../config.ts';
import type { Db, Pool } from '../db/client.ts';
import type { Logger } from '../ops/log.ts';
import type { Metrics } from './metrics.ts';
import { presenceFreshSeconds } from './presence.ts';

const BATCH = 50;

interface Due {
  id: number;
  to: string;
  storeName: string;
  payload: { orderNumber?: string; customerName?: string; subtotal?: number };
}

export interface EmailFallback {
  /** One pass: emails what is due, returns how many. Safe to run on several processes at once. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

const message = (due: Due, from: string, currency: string) => ({
  from,
  to: due.to,
  subject: `New order ${due.payload.orderNumber} at ${due.storeName}`,
  text: [
    `${due.payload.customerName} placed order ${due.payload.orderNumber} at ${due.storeName}`,
    `for ${money(due.payload.subtotal ?? 0, currency)} of your products.`,
    '',
    'Nobody has opened it on the Orderbell dashboard yet. Open your dashboard to confirm it.',
  ].join('\n'),
});

/**
 * The fallback: a new order nobody acknowledged (opened, confirmed, marked read) is emailed to the
 * store's notification address, through SMTP_URL or, without it, into the email_outbox table.
 * Presence picks the delay (decision 015): NOTIFY_EMAIL_OFFLINE_SECONDS while no seller of the store
 * has a stream open on any process, NOTIFY_EMAIL_AFTER_SECONDS while one has but has not
 * acknowledged it. Rows are claimed with FOR UPDATE SKIP LOCKED and marked emailed in the same
 * transaction, so racing processes send each one once.
 */
export function startEmailFallback(sql: Pool, config: Config, log: Logger, metrics: Metrics): EmailFallback {
  const transport = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : undefined;

  const deliver = async (tx: Db, due: Due) => {
    const mail = message(due, config.SMTP_FROM, config.CURRENCY);
    if (transport) await transport.sendMail(mail);
    else await tx`insert into email_outbox (notification_id, "to", subject, body)
      values (${due.id}, ${mail.to}, ${mail.subject}, ${mail.text}) on conflict (notification_id) do nothing`;
  };

  async function runOnce(): Promise<number> {
    return sql.begin(async (tx) => {
      const due = await tx<Due[]>`
        select n.id::float8 as id, n.payload, s.notification_email as "to", s.name as "storeName"
        from notifications n join seller_orders so on so.id = n.seller_order_id join sellers s on s.id = so.seller_id
        where n.type = 'order_notification' and n.read_at is null and n.emailed_at is null
          and (n.created_at <= now() - make_interval(secs => ${config.NOTIFY_EMAIL_AFTER_SECONDS})
            or (n.created_at <= now() - make_interval(secs => ${config.NOTIFY_EMAIL_OFFLINE_SECONDS})
              and not exists (select 1 from presence p where p.user_id = s.user_id and p.streams > 0
                and p.heartbeat_at > now() - make_interval(secs => ${presenceFreshSeconds(config.SSE_HEARTBEAT_SECONDS)}))))
        order by n.id limit ${BATCH}
        for update of n skip locked`;
      const sent: number[] = [];
      for (const one of due) {
        try {
          await deliver(tx, one);
          sent.push(one.id);
        } catch (err) {
          log.warn({ err, notificationId: one.id }, 'emailing an order notification failed; will retry');
        }
      }
      if (sent.length) await tx`update notifications set emailed_at = now() where id = any(${sent}::bigint[])`;
      metrics.emailed.inc(sent.length);
      return sent.length;
    });
  }

  const every = Math.min(30, Math.max(1, Math.min(config.NOTIFY_EMAIL_AFTER_SECONDS, config.NOTIFY_EMAIL_OFFLINE_SECONDS) / 4)) * 1000;
  // Each pass starts after the last one ended, at a random 0.5-1.5 x `every`. On a fixed interval,
  // processes started together (systemd at boot, a test) ticked in lock-step for good: the one a
  // few milliseconds ahead locked every due row and the other never sent (SKIP LOCKED).
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      running = runOnce()
        .catch((err) => log.error({ err }, 'email fallback pass failed'))
        .finally(() => stopped || schedule());
    }, every * (0.5 + Math.random()));
    timer.unref();
  };
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      transport?.close();
    },
  };
}
