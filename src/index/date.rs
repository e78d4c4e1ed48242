//! Dates as stored in the index.
//!
//! Statement dates are civil dates; the index stores them as Tantivy dates
//! at midnight UTC. These two functions are the only conversion, used when
//! writing paragraphs and when filtering or showing dates.

use tantivy::DateTime;

/// Converts a civil date to the Tantivy date stored in the index (midnight UTC).
pub fn to_tantivy_date(date: jiff::civil::Date) -> DateTime {
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
