//! Dates as stored in the index.
//!
//! Statement dates are civil dates; the index stores them as Tantivy dates
//! at midnight UTC. These two functions are the only conversion, used when
//! writing paragraphs and when filtering or showing dates.

use tantivy::DateTime;

/// The first day an index can hold: Tantivy stores dates as nanoseconds
/// since 1970 in an `i64`, which reaches back to 1677-09-21.
pub const FIRST_DATE: jiff::civil::Date = jiff::civil::date(1678, 1, 1);

/// The last day an index can hold (the `i64` nanoseconds reach 2262-04-11).
pub const LAST_DATE: jiff::civil::Date = jiff::civil::date(2261, 12, 31);

/// Whether `date` can be stored: between [`FIRST_DATE`] and [`LAST_DATE`].
pub fn storable(date: jiff::civil::Date) -> bool {
    (FIRST_DATE..=LAST_DATE).contains(&date)
}

/// Converts a civil date to the Tantivy date stored in the index (midnight
/// UTC). A date beyond what Tantivy represents (1677-09-22 to 2262-04-10)
/// is clamped to it, never wrapped around; writers store only
/// [`storable`] dates and filters clamp their bounds first.
pub fn to_tantivy_date(date: jiff::civil::Date) -> DateTime {
    // The widest days Tantivy represents (a day inside each end).
    let date = date.clamp(
        jiff::civil::date(1677, 9, 22),
        jiff::civil::date(2262, 4, 10),
    );
    let secs = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    DateTime::from_timestamp_secs(secs)
}

/// Converts a stored Tantivy date back to a civil date (UTC).
pub fn from_tantivy_date(date: DateTime) -> Option<jiff::civil::Date> {
    jiff::Timestamp::from_second(date.into_timestamp_secs())
        .ok()
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}
