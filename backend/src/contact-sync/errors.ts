import { HttpError } from '../platform/http-errors.ts';

/** The closed set of errors contact sync answers at its HTTP edge. */
export type ContactSyncErrorCode =
  | 'invalid_request'
  | 'unknown_dialer_field'
  | 'property_not_found'
  | 'property_type_mismatch'
  | 'property_already_mapped'
  | 'direction_not_allowed'
  | 'mapping_locked'
  | 'mapping_not_found'
  | 'operation_not_found'
  | 'operation_running'
  | 'operation_not_allowed'
  | 'dialer_not_connected'
  | 'super_admin_required';

const STATUS: Record<ContactSyncErrorCode, number> = {
  invalid_request: 400,
  unknown_dialer_field: 400,
  property_not_found: 400,
  property_type_mismatch: 400,
  property_already_mapped: 409,
  direction_not_allowed: 400,
  mapping_locked: 409,
  mapping_not_found: 404,
  operation_not_found: 404,
  operation_running: 409,
  operation_not_allowed: 409,
  dialer_not_connected: 409,
  super_admin_required: 403,
};

export function contactSyncError(code: ContactSyncErrorCode, message: string): HttpError {
  return new HttpError(STATUS[code], code, message);
}
