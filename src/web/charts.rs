//! The overview's charts as inline SVG, drawn on the server from numbers.
//!
//! Each is one `<svg>` with a `viewBox` (it scales to the width it is given,
//! a phone's included), `role="img"` and an `aria-label` saying what it
//! shows, and a `<title>` on every bar for the figure on hover. Colours and
//! sizes are SVG presentation attributes and class names (`chart`, `bar`,
//! `axis`, `label`) for the stylesheet: no `style` attribute and no script,
//! so a `style-src 'self'` policy has nothing to block. All text is escaped.

use std::fmt::Write;

use chrono::NaiveDate;

const DAY_WIDTH: u32 = 600;
const DAY_HEIGHT: u32 = 200;
/// Room for the count labels left of the bars and the dates below them.
const LEFT: u32 = 36;
const BOTTOM: u32 = 24;
const TOP: u32 = 8;

/// Calls per day as vertical bars, oldest day first, with the count scale
/// on the left and a date under every seventh bar, counted back from the
/// last day (so the newest day is always labelled and no two labels touch).
pub fn calls_per_day(days: &[(NaiveDate, u32)]) -> String {
    let total: u64 = days.iter().map(|(_, n)| u64::from(*n)).sum();
    let busiest = days.iter().max_by_key(|(_, n)| *n);
    let label = match (days.first(), days.last(), busiest) {
        (Some((first, _)), Some((last, _)), Some((top_day, top))) if total > 0 => format!(
            "Calls per day from {} to {}: {total} in all, most on {} ({top}).",
            date_long(*first),
            date_long(*last),
            date_long(*top_day)
        ),
        (Some((first, _)), Some((last, _)), _) => format!(
            "Calls per day from {} to {}: no calls.",
            date_long(*first),
            date_long(*last)
        ),
        _ => "Calls per day: no days to show.".to_owned(),
    };
    let mut svg = open_svg("calls-per-day", DAY_WIDTH, DAY_HEIGHT, &label);
    let plot_height = DAY_HEIGHT - TOP - BOTTOM;
    let scale_max = nice_ceiling(busiest.map_or(0, |(_, n)| *n));
    let baseline = TOP + plot_height;
    for tick in [0, scale_max / 2, scale_max] {
        let y = baseline - scaled(tick, scale_max, plot_height);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" y1="{y}" x2="{DAY_WIDTH}" y2="{y}" stroke="currentColor" stroke-opacity="0.15"/><text class="label" x="{}" y="{}" text-anchor="end" font-size="11" fill="currentColor">{tick}</text>"#,
            LEFT - 6,
            y + 4
        );
    }
    let count = u32::try_from(days.len()).unwrap_or(u32::MAX).max(1);
    let slot = f64::from(DAY_WIDTH - LEFT) / f64::from(count);
    let bar_width = (slot * 0.7).max(1.0);
    for (i, (day, calls)) in days.iter().enumerate() {
        let x = f64::from(LEFT) + slot * i as f64 + (slot - bar_width) / 2.0;
        let height = scaled(*calls, scale_max, plot_height);
        let calls_word = if *calls == 1 { "call" } else { "calls" };
        let _ = write!(
            svg,
            r#"<g class="bar"><title>{}: {calls} {calls_word}</title><rect x="{x:.1}" y="{}" width="{bar_width:.1}" height="{height}" fill="currentColor"/></g>"#,
            escape(&date_long(*day)),
            baseline - height,
        );
        if (days.len() - 1 - i) % 7 == 0 {
            let _ = write!(
                svg,
                r#"<text class="label" x="{:.1}" y="{}" text-anchor="middle" font-size="11" fill="currentColor">{}</text>"#,
                x + bar_width / 2.0,
                DAY_HEIGHT - 6,
                escape(&date_short(*day))
            );
        }
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="{LEFT}" y1="{baseline}" x2="{DAY_WIDTH}" y2="{baseline}" stroke="currentColor"/></svg>"#
    );
    svg
}

const ROW_HEIGHT: u32 = 28;
const OUTCOME_WIDTH: u32 = 600;
const LABEL_WIDTH: u32 = 160;
const COUNT_WIDTH: u32 = 48;

/// Counts by label as horizontal bars, in the order given, each with its
/// label on the left and its count and share on the right.
pub fn outcomes(counts: &[(&str, u32)]) -> String {
    let total: u64 = counts.iter().map(|(_, n)| u64::from(*n)).sum();
    let parts: Vec<String> = counts.iter().map(|(l, n)| format!("{l}: {n}")).collect();
    let label = if total == 0 {
        "Calls by outcome: no calls.".to_owned()
    } else {
        format!("Calls by outcome: {}.", parts.join(", "))
    };
    let rows = u32::try_from(counts.len()).unwrap_or(u32::MAX).max(1);
    let height = rows * ROW_HEIGHT;
    let mut svg = open_svg("outcomes", OUTCOME_WIDTH, height, &label);
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let track = OUTCOME_WIDTH - LABEL_WIDTH - COUNT_WIDTH;
    for (i, (name, n)) in counts.iter().enumerate() {
        let top = u32::try_from(i).unwrap_or(0) * ROW_HEIGHT;
        let width = scaled(*n, max, track);
        let share = (u64::from(*n) * 100 + total / 2)
            .checked_div(total)
            .unwrap_or(0);
        let name = escape(name);
        let _ = write!(
            svg,
            r#"<g class="bar"><title>{name}: {n} ({share}%)</title><text class="label" x="{}" y="{}" text-anchor="end" font-size="12" fill="currentColor">{name}</text><rect x="{LABEL_WIDTH}" y="{}" width="{width}" height="{}" rx="3" fill="currentColor"/><text class="label" x="{}" y="{}" font-size="12" fill="currentColor">{n}</text></g>"#,
            LABEL_WIDTH - 8,
            top + 18,
            top + 6,
            ROW_HEIGHT - 12,
            LABEL_WIDTH + width + 6,
            top + 18,
        );
    }
    svg.push_str("</svg>");
    svg
}

fn open_svg(class: &str, width: u32, height: u32, label: &str) -> String {
    let label = escape(label);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{label}"><title>{label}</title>"#
    )
}

/// `value`'s share of `max` in `length` units (whole units, 0 when `max` is 0).
fn scaled(value: u32, max: u32, length: u32) -> u32 {
    if max == 0 {
        return 0;
    }
    let units = u64::from(value.min(max)) * u64::from(length) / u64::from(max);
    u32::try_from(units).unwrap_or(length)
}

/// The smallest of 1, 2, 5 × 10ⁿ (and 4, so halves stay whole) at least
/// `value`, for a scale with round ticks; 2 for an empty chart.
fn nice_ceiling(value: u32) -> u32 {
    let mut magnitude: u32 = 1;
    loop {
        for step in [1u32, 2, 4, 5] {
            let candidate = step.saturating_mul(magnitude);
            if candidate >= value.max(2) {
                return candidate;
            }
        }
        match magnitude.checked_mul(10) {
            Some(next) => magnitude = next,
            None => return u32::MAX,
        }
    }
}

fn date_long(day: NaiveDate) -> String {
    day.format("%a %-d %b %Y").to_string()
}

fn date_short(day: NaiveDate) -> String {
    day.format("%-d %b").to_string()
}

/// Text as XML character data or an attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 does not allow are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
