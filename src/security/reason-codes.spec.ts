import { REASON_LABELS_VI, reasonLabelVi } from '../shared/i18n/messages.vi.js';
import { DETECTOR_REASONS } from './reason-codes.js';

/** The unit's notice and the console say why a connection was cut off in words, the detector's reasons included. */
describe('reason codes', () => {
  it('has Vietnamese words for every reason the detector suspends for', () => {
    expect(Object.values(DETECTOR_REASONS).filter((code) => !(code in REASON_LABELS_VI))).toEqual([]);
    expect(reasonLabelVi('UNKNOWN_SOURCE_ADDRESS')).toBe('Truy cập từ địa chỉ không có trong thỏa thuận');
    expect(reasonLabelVi('LOCAL_RULE_7')).toBe('LOCAL_RULE_7');
  });
});
