/**
 * Shippo's service level tokens (the spec's ServiceLevelUSPSEnum, ServiceLevelUPSEnum and
 * ServiceLevelFedExEnum). The batch speaks Shippo's tokens, so they go to Shippo unchanged:
 * there is no mapping table.
 */
export const SHIPPO_SERVICE_LEVELS: Readonly<Record<'usps' | 'ups' | 'fedex', readonly string[]>> = {
  usps: [
    'usps_priority',
    'usps_priority_express',
    'usps_media_mail',
    'usps_priority_mail_international',
    'usps_priority_mail_express_international',
    'usps_first_class_package_international_service',
    'usps_ground_advantage',
  ],
  ups: [
    'ups_standard', 'ups_ground', 'ups_saver', 'ups_3_day_select', 'ups_second_day_air', 'ups_second_day_air_am', 'ups_next_day_air',
    'ups_next_day_air_saver', 'ups_next_day_air_early_am', 'ups_mail_innovations_bpm_flat', 'ups_mail_innovations_bpm_parcel',
    'ups_mail_innovations_irregular', 'ups_mail_innovations_media_mail', 'ups_mail_innovations_parcel', 'ups_mail_innovations_standard_flat',
    'ups_surepost', 'ups_surepost_bound_printed_matter', 'ups_surepost_lightweight', 'ups_surepost_media', 'ups_express', 'ups_express_1200',
    'ups_express_plus', 'ups_expedited', 'ups_express_early', 'ups_access_point_economy',
  ],
  fedex: [
    'fedex_ground', 'fedex_home_delivery', 'fedex_smart_post', 'fedex_ground_economy', 'fedex_2_day', 'fedex_2_day_am', 'fedex_express_saver',
    'fedex_standard_overnight', 'fedex_priority_overnight', 'fedex_first_overnight', 'fedex_international_economy', 'fedex_international_priority',
    'fedex_international_first', 'fedex_europe_first_international_priority', 'fedex_international_connect_plus', 'fedex_first', 'fedex_priority',
    'fedex_priority_express', 'fedex_economy_select', 'fedex_regional_economy', 'fedex_first_overnight_extra_hours',
    'fedex_international_priority_express', 'fedex_next_day_mid_morning', 'fedex_priority_overnight_extra_hours', 'fedex_standard_overnight_extra_hours',
  ],
};
