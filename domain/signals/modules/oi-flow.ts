/**
 * OI flow: does positioning (put/call ratios, fresh OI, max pain and the OI walls) call the next
 * hour's direction? Scored out of sample like the others; the combiner weights it by that score.
 */
import { DEFAULT_HORIZON_MINUTES } from '../dataset';
import { defineClassificationModule } from './classification-module';

export const oiFlowModule = defineClassificationModule({
  name: 'oi_flow',
  description: 'P(the index is higher after the horizon) from option positioning',
  target: 'sign of the forward log return',
  horizonMinutes: DEFAULT_HORIZON_MINUTES,
  classes: ['down', 'up'],
  features: [
    { factor: 'pcr_oi' },
    { factor: 'pcr_oi_all' },
    { factor: 'pcr_volume' },
    { factor: 'oi_change_net' },
    { factor: 'max_pain_distance' },
    { factor: 'call_wall_distance' },
    { factor: 'put_wall_distance' },
  ],
  label: (t) => (t.logReturn > 0 ? 1 : t.logReturn < 0 ? 0 : null),
});
