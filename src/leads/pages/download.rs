//! GET /leads.csv: the lead list's leads (same filters, every page) as a
//! CSV file, streamed a chunk at a time so a long history never sits in
//! memory; one short database trip per chunk, none held between them.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::stream;

use crate::app::AppState;
use crate::calls::local_time;
use crate::db::{self, DbError, DbPool};
use crate::error::AppError;
use crate::leads::csv::LeadCsv;
use crate::leads::list::{LeadFilter, LeadQuery};
use crate::tenants::Tenant;
use crate::web::guard::TenantAdmin;
use crate::web::listing::read_query;

/// `leads-<slug>-<date>.csv`, with only letters, digits and `-` from the
/// slug.
pub fn file_name(slug: &str, date: chrono::NaiveDate) -> String {
    let slug: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let slug = if slug.is_empty() { "tenant" } else { &slug };
    format!("leads-{slug}-{date}.csv")
}

/// The next chunk of the export, or the end (an error ends the download
/// early: the headers are gone, so the cut file is all that can be said).
async fn next_chunk(
    (pool, export): (DbPool, Option<LeadCsv>),
) -> Option<(
    Result<web::Bytes, actix_web::Error>,
    (DbPool, Option<LeadCsv>),
)> {
    let mut export = export?;
    let read = db::run(&pool, move |conn| {
        let chunk = export.next_chunk(conn)?;
        Ok::<_, DbError>((export, chunk))
    })
    .await;
    match read {
        Ok((export, Some(chunk))) => Some((Ok(web::Bytes::from(chunk)), (pool, Some(export)))),
        Ok((_, None)) => None,
        Err(err) => {
            tracing::error!(error = %err, "the lead export stopped part way");
            Some((
                Err(actix_web::error::ErrorInternalServerError("export failed")),
                (pool, None),
            ))
        }
    }
}

/// GET /leads.csv.
pub async fn csv(
    admin: TenantAdmin,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (query, _) = read_query::<LeadQuery>(req.query_string());
    let (filter, _) = LeadFilter::from_query(&query);
    let tenant = admin.tenant_id;
    let slug = db::run(&state.db, move |conn| {
        Ok::<_, DbError>(Tenant::find(conn, tenant)?.slug)
    })
    .await?;
    let today = local_time::local_date(admin.timezone, crate::clock::now());
    let export = LeadCsv::new(tenant, admin.timezone, filter);
    let body = stream::unfold((state.db.clone(), Some(export)), next_chunk);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name(&slug, today))],
        })
        .streaming(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_is_named_after_the_business_and_the_day() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert_eq!(
            file_name("sunny-dental", day),
            "leads-sunny-dental-2026-03-01.csv"
        );
        assert_eq!(file_name("\"; x=..", day), "leads-x-2026-03-01.csv");
        assert_eq!(file_name("", day), "leads-tenant-2026-03-01.csv");
    }
}
