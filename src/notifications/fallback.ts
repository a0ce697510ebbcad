import nodemailer from 'nodemailer';
import { money } from '../../views/format.ts';
import type { Config } from '../config.ts';
import type { Db, Pool } from '../db/client.ts';
import type { Logger } from '../ops/log.ts';
import type { Metrics } from './metrics.ts';

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
    'You were not online when it arrived. Open your Orderbell dashboard to confirm it.',
  ].join('\n'),
});

/**
 * The offline fallback: an order notification nobody read and no open stream received within
 * NOTIFY_EMAIL_AFTER_SECONDS is emailed to the store's notification address, through SMTP_URL or,
 * without it, into the email_outbox table. Rows are claimed with FOR UPDATE SKIP LOCKED and
 * marked emailed in the same transaction, so racing processes send each one once.
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
        where n.type = 'order_notification' and n.read_at is null and n.delivered_at is null and n.emailed_at is null
          and n.created_at <= now() - make_interval(secs => ${config.NOTIFY_EMAIL_AFTER_SECONDS})
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

  let running: Promise<unknown> = Promise.resolve();
  const every = Math.min(30, Math.max(1, config.NOTIFY_EMAIL_AFTER_SECONDS / 4)) * 1000;
  const timer = setInterval(() => {
    running = runOnce().catch((err) => log.error({ err }, 'email fallback pass failed'));
  }, every);
  timer.unref();

  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
      transport?.close();
    },
  };
}
