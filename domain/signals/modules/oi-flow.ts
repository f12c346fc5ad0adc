/**
 * OI flow: does positioning (put/call ratios, fresh OI, max pain and the OI walls) call the next
 * hour's direction? Scored out of sample like the others; the combiner weights it by that score.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineModule } from './define-module';

export const oiFlowModule = defineModule({
  name: 'oi_flow',
  description: 'The forward log return from option positioning, reported as P(down) and P(up)',
  target: 'forward log return of the index',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  space: 'identity',
  bins: { labels: ['down', 'up'], threshold: 0 },
  features: [
    { factor: 'pcr_oi' },
    { factor: 'pcr_oi_all' },
    { factor: 'pcr_volume' },
    { factor: 'oi_change_net' },
    { factor: 'max_pain_distance' },
    { factor: 'call_wall_distance' },
    { factor: 'put_wall_distance' },
  ],
  outcome: (t) => t.logReturn,
});
