//! The rows the charity's figures are added up from.

use sea_orm::ConnectionTrait;

use super::{bind_all, Store, StoreResult};
use crate::domain::figures::{Figure, Figures};
use crate::domain::pledge_status::PledgeStatus;

impl Store {
    /// Copies requested, pledged, shipped and delivered, by month and province.
    pub async fn figures(&self) -> StoreResult<Figures> {
        let mut figures = Figures::default();
        let requested = self
            .db
            .query_all_raw(self.stmt(
                "SELECT CAST(w.requested AS BIGINT) AS copies, w.created_at AS at, s.province \
                 FROM wishlist_items w JOIN schools s ON s.id = w.school_id",
                vec![],
            ))
            .await?;
        let pledged = self
            .db
            .query_all_raw(self.stmt(
                "SELECT CAST(p.quantity AS BIGINT) AS copies, p.created_at AS at, s.province \
                 FROM pledges p JOIN schools s ON s.id = p.school_id",
                vec![],
            ))
            .await?;
        let mut values = Vec::new();
        let moved = bind_all(
            &mut values,
            [PledgeStatus::Shipped, PledgeStatus::Delivered].map(PledgeStatus::as_str),
        );
        let moves = self
            .db
            .query_all_raw(self.stmt(
                &format!(
                    "SELECT CAST(p.quantity AS BIGINT) AS copies, e.created_at AS at, s.province, \
                     e.to_status FROM pledge_events e JOIN pledges p ON p.id = e.pledge_id \
                     JOIN schools s ON s.id = p.school_id WHERE e.to_status IN ({moved})"
                ),
                values,
            ))
            .await?;
        for (rows, fixed) in [
            (requested, Some(Figure::Requested)),
            (pledged, Some(Figure::Pledged)),
            (moves, None),
        ] {
            for r in rows {
                let figure = match fixed {
                    Some(figure) => figure,
                    None => {
                        let to: String = r.try_get("", "to_status")?;
                        if to == PledgeStatus::Shipped.as_str() {
                            Figure::Shipped
                        } else {
                            Figure::Delivered
                        }
                    }
                };
                let copies = u64::try_from(r.try_get::<i64>("", "copies")?).unwrap_or(0);
                let province: String = r.try_get("", "province")?;
                figures.add(figure, copies, r.try_get("", "at")?, &province);
            }
        }
        Ok(figures)
    }
}
