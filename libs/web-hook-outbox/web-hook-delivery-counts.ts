import { Injectable } from '@nestjs/common';

/**
 * Outcomes of web hook attempts since start, for operators' counters (read on scrape): `sent`
 * answered 2xx/3xx, `rejected` answered a final 4xx, `failed` will be retried, `abandoned` gave up.
 */
@Injectable()
export class WebHookDeliveryCounts {
  sent = 0;
  rejected = 0;
  failed = 0;
  abandoned = 0;
}
