//! GET /: the tenant's overview: the figures of the last 30 days, the two
//! charts, the latest calls and leads, and whether the lead emails are
//! getting through; for a business with no calls yet, how to get the first.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::guard::TenantAdmin;
use super::layout::{Nav, Page, render};
use super::{charts, format, session};
use crate::app::AppState;
use crate::calls::pages::CallLine;
use crate::calls::search::outcome_label;
use crate::calls::stats::{Overview, Rate};
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::leads::pages::LeadView;
use crate::mail::health::{EmailAbout, EmailProblem, Trouble};
use crate::tenants;

#[derive(Template)]
#[template(path = "dashboard/overview.html")]
struct OverviewPage {
    page: Page,
    /// `None` once the business has had a call.
    first_steps: Option<FirstSteps>,
    figures: Figures,
    busiest: Vec<String>,
    hours: Vec<HourCell>,
    /// Generated SVG (numbers and escaped labels only), shown with `|safe`.
    calls_chart: String,
    outcomes_chart: String,
    latest_calls: Vec<CallLine>,
    latest_leads: Vec<LeadView>,
    email_problems: Vec<ProblemLine>,
    any_given_up: bool,
    truncated: bool,
    /// Test calls of the 30 days, left out of the figures.
    test_calls: i64,
}

struct FirstSteps {
    numbers: Vec<String>,
    voice_url: String,
    status_url: String,
}

impl FirstSteps {
    fn test_number(&self) -> &str {
        self.numbers.first().map_or("YOUR_NUMBER", String::as_str)
    }
}

struct Figures {
    calls_today: u32,
    calls_7_days: u32,
    calls_30_days: u32,
    leads_30_days: i64,
    leads_new: i64,
    transfer_rate: String,
    transfer_detail: String,
    answered_rate: String,
    answered_detail: String,
    average_duration: String,
}

/// One hour of the day in the busiest-hours strip.
struct HourCell {
    hour: u32,
    title: String,
    /// 0 (no calls) to 4 (the busiest hour), for the cell's shade.
    level: u32,
}

struct ProblemLine {
    what: String,
    href: Option<String>,
    recipient: Option<String>,
    trouble: &'static str,
    attempts: i32,
    last_error: Option<String>,
    when: String,
}

fn percent(rate: Rate) -> (String, String) {
    match rate.percent() {
        Some(p) => (
            format!("{p}%"),
            format!("{} of {} conversations", rate.part, rate.whole),
        ),
        None => ("—".to_owned(), "no conversations yet".to_owned()),
    }
}

/// The three busiest hours with calls, busiest first.
fn busiest_hours(hours: &[u32; 24]) -> Vec<String> {
    let mut ranked: Vec<(u32, u32)> = (0u32..).zip(hours.iter().copied()).collect();
    ranked.sort_by_key(|(hour, calls)| (std::cmp::Reverse(*calls), *hour));
    ranked
        .into_iter()
        .filter(|(_, calls)| *calls > 0)
        .take(3)
        .map(|(hour, calls)| {
            let word = if calls == 1 { "call" } else { "calls" };
            format!("{} ({calls} {word})", format::hour_range(hour))
        })
        .collect()
}

fn hour_cells(hours: &[u32; 24]) -> Vec<HourCell> {
    let max = hours.iter().copied().max().unwrap_or(0);
    (0u32..)
        .zip(hours.iter().copied())
        .map(|(hour, calls)| HourCell {
            hour,
            title: format!("{}: {calls}", format::hour_range(hour)),
            level: (calls * 4).div_ceil(max.max(1)),
        })
        .collect()
}

fn problem_line(problem: &EmailProblem, tz: chrono_tz::Tz) -> ProblemLine {
    let (what, href) = match problem.about {
        EmailAbout::Lead(id) => (format!("Lead email (message {id})"), None),
        EmailAbout::Summary(call) => (
            "Call summary email".to_owned(),
            Some(format!("/calls/{call}")),
        ),
    };
    ProblemLine {
        what,
        href,
        recipient: problem.recipient.clone(),
        trouble: match problem.trouble {
            Trouble::Retrying => "Failing, will be retried",
            Trouble::Rejected => "Refused by the mail server",
            Trouble::Dead => "Given up",
        },
        attempts: problem.attempts,
        last_error: problem.last_error.clone(),
        when: format::short_time(tz, problem.at),
    }
}

/// GET /.
pub async fn show(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (tenant, tz) = (admin.tenant_id, admin.timezone);
    let (overview, numbers) = db::run(&state.db, move |conn| {
        let overview = Overview::load(conn, tenant, tz, crate::clock::now())?;
        let numbers = if overview.latest_calls.is_empty() {
            tenants::numbers_of(conn, tenant)?
        } else {
            Vec::new()
        };
        Ok::<_, DbError>((overview, numbers))
    })
    .await?;
    let public_url = state.config.public_url.trim_end_matches('/');
    let first_steps = overview.latest_calls.is_empty().then(|| FirstSteps {
        numbers,
        voice_url: format!("{public_url}/twilio/voice"),
        status_url: format!("{public_url}/twilio/call-status"),
    });
    let (transfer_rate, transfer_detail) = percent(overview.transfer_rate);
    let (answered_rate, answered_detail) = percent(overview.answered_rate);
    let outcomes: Vec<(&str, u32)> = overview
        .outcomes
        .iter()
        .map(|(outcome, n)| (outcome_label(*outcome), *n))
        .collect();
    let title = format!("Overview · {}", admin.tenant_name);
    render(&OverviewPage {
        page: Page::tenant(&admin, &title, Nav::Overview).with_flash(session::take_flash(&session)),
        first_steps,
        figures: Figures {
            calls_today: overview.calls_today,
            calls_7_days: overview.calls_7_days,
            calls_30_days: overview.calls_30_days,
            leads_30_days: overview.leads_30_days,
            leads_new: overview.leads_new,
            transfer_rate,
            transfer_detail,
            answered_rate,
            answered_detail,
            average_duration: format::duration_or_dash(overview.average_duration),
        },
        busiest: busiest_hours(&overview.busiest_hours),
        hours: hour_cells(&overview.busiest_hours),
        calls_chart: charts::calls_per_day(&overview.calls_per_day),
        outcomes_chart: charts::outcomes(&outcomes),
        latest_calls: overview
            .latest_calls
            .iter()
            .map(|c| CallLine::new(c, tz))
            .collect(),
        latest_leads: overview
            .latest_leads
            .iter()
            .map(|l| LeadView::new(l, tz))
            .collect(),
        any_given_up: overview
            .email_problems
            .iter()
            .any(|p| p.trouble != Trouble::Retrying),
        email_problems: overview
            .email_problems
            .iter()
            .map(|p| problem_line(p, tz))
            .collect(),
        truncated: overview.truncated,
        test_calls: overview.test_calls_30_days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busiest_hours_are_the_three_with_most_calls() {
        let mut hours = [0u32; 24];
        hours[9] = 5;
        hours[14] = 7;
        hours[10] = 5;
        hours[16] = 1;
        assert_eq!(
            busiest_hours(&hours),
            [
                "14:00–15:00 (7 calls)",
                "09:00–10:00 (5 calls)",
                "10:00–11:00 (5 calls)"
            ]
        );
        assert!(busiest_hours(&[0; 24]).is_empty());
    }

    #[test]
    fn the_hour_strip_shades_the_busiest_hour_darkest() {
        let mut hours = [0u32; 24];
        hours[9] = 8;
        hours[10] = 1;
        let cells = hour_cells(&hours);
        assert_eq!((cells[9].level, cells[10].level, cells[0].level), (4, 1, 0));
    }
}
