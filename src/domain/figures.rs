//! The charity's figures: copies requested, pledged, shipped and delivered, by month and by
//! province. Pure: rows in, totals out.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, Utc};

/// What a row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Copies schools asked for (when asked).
    Requested,
    /// Copies donors pledged (when pledged).
    Pledged,
    /// Copies shipped (when shipped).
    Shipped,
    /// Copies delivered (when confirmed).
    Delivered,
}

impl Figure {
    /// All four, in the loop's order.
    pub const ALL: [Figure; 4] = [
        Figure::Requested,
        Figure::Pledged,
        Figure::Shipped,
        Figure::Delivered,
    ];

    /// The name in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Figure::Requested => "requested",
            Figure::Pledged => "pledged",
            Figure::Shipped => "shipped",
            Figure::Delivered => "delivered",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// Copies of each figure: `[requested, pledged, shipped, delivered]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Copies {
    /// Copies schools asked for.
    pub requested: u64,
    /// Copies pledged.
    pub pledged: u64,
    /// Copies shipped.
    pub shipped: u64,
    /// Copies delivered.
    pub delivered: u64,
}

impl Copies {
    fn add(&mut self, figure: Figure, copies: u64) {
        let slot = match figure.slot() {
            0 => &mut self.requested,
            1 => &mut self.pledged,
            2 => &mut self.shipped,
            _ => &mut self.delivered,
        };
        *slot += copies;
    }

    /// The copies of one figure.
    pub fn get(&self, figure: Figure) -> u64 {
        match figure {
            Figure::Requested => self.requested,
            Figure::Pledged => self.pledged,
            Figure::Shipped => self.shipped,
            Figure::Delivered => self.delivered,
        }
    }
}

/// The figures, by month (China time, `YYYY-MM`) and by province, with totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// Per month.
    pub by_month: BTreeMap<String, Copies>,
    /// Per province (as stored: English names for known provinces).
    pub by_province: BTreeMap<String, Copies>,
    /// Everything.
    pub total: Copies,
}

impl Figures {
    /// Counts `copies` of `figure` at `at` in `province`.
    pub fn add(&mut self, figure: Figure, copies: u64, at: DateTime<Utc>, province: &str) {
        let china = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is an offset");
        let month = at.with_timezone(&china).format("%Y-%m").to_string();
        self.by_month.entry(month).or_default().add(figure, copies);
        self.by_province
            .entry(province.to_owned())
            .or_default()
            .add(figure, copies);
        self.total.add(figure, copies);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_add_up_by_month_in_china_time_and_by_province() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
        let mut f = Figures::default();
        f.add(Figure::Requested, 5, at("2026-10-31T20:00:00Z"), "Yunnan"); // Nov 1 in China
        f.add(Figure::Pledged, 2, at("2026-11-02T01:00:00Z"), "Yunnan");
        f.add(Figure::Pledged, 1, at("2026-12-02T01:00:00Z"), "Gansu");
        assert_eq!(f.by_month["2026-11"].requested, 5);
        assert_eq!(f.by_month["2026-11"].pledged, 2);
        assert_eq!(f.by_month["2026-12"].pledged, 1);
        assert_eq!(f.by_province["Yunnan"].get(Figure::Pledged), 2);
        assert_eq!(f.total.pledged, 3);
        assert!(!f.by_month.contains_key("2026-10"));
    }
}
