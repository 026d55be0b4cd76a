use chrono::NaiveDate;

use super::*;

fn days(counts: &[u32]) -> Vec<(NaiveDate, u32)> {
    let first = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    counts
        .iter()
        .enumerate()
        .map(|(i, n)| (first + chrono::Duration::days(i as i64), *n))
        .collect()
}

/// The chart parsed as XML, which it must be.
fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML ({e}): {svg}"))
}

fn titles(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect()
}

#[test]
fn calls_per_day_is_an_svg_image_with_a_bar_and_a_title_for_every_day() {
    let svg = calls_per_day(&days(&[0, 3, 1, 0, 7]));
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.attribute("viewBox").is_some());
    let label = root.attribute("aria-label").unwrap_or_default();
    assert!(label.contains("11 in all"), "{label}");
    assert!(label.contains("Thu 5 Nov 2026 (7)"), "{label}");
    let bars: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("bar"))
        .collect();
    assert_eq!(bars.len(), 5);
    let titles = titles(&doc);
    assert!(
        titles.contains(&"Mon 2 Nov 2026: 3 calls".to_owned()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Tue 3 Nov 2026: 1 call".to_owned()),
        "{titles:?}"
    );
}

#[test]
fn the_busiest_day_has_the_tallest_bar_and_an_empty_day_none() {
    let svg = calls_per_day(&days(&[2, 0, 9]));
    let doc = parse(&svg);
    let heights: Vec<u32> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter_map(|n| n.attribute("height")?.parse().ok())
        .collect();
    assert_eq!(heights.len(), 3);
    assert_eq!(heights[1], 0);
    assert!(heights[2] > heights[0], "{heights:?}");
}

#[test]
fn a_chart_without_calls_says_so() {
    let svg = calls_per_day(&days(&[0, 0]));
    let doc = parse(&svg);
    let label = doc
        .root_element()
        .attribute("aria-label")
        .unwrap_or_default();
    assert!(label.ends_with("no calls."), "{label}");
    let empty = calls_per_day(&[]);
    parse(&empty);
}

#[test]
fn charts_use_no_style_attribute_or_script() {
    for svg in [
        calls_per_day(&days(&[1, 2, 3])),
        outcomes(&[("Answered", 3), ("Message taken", 1)]),
    ] {
        let doc = parse(&svg);
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert!(node.attribute("style").is_none(), "{svg}");
            assert!(!node.has_tag_name("script") && !node.has_tag_name("style"));
            assert!(
                node.attributes().all(|a| !a.name().starts_with("on")),
                "{svg}"
            );
        }
    }
}

#[test]
fn outcome_labels_are_escaped_and_every_outcome_has_a_bar() {
    let svg = outcomes(&[("<b>Answered</b> & \"more\"", 4), ("Put through", 2)]);
    assert!(!svg.contains("<b>"), "{svg}");
    let doc = parse(&svg);
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&"<b>Answered</b> & \"more\""), "{texts:?}");
    let titles = titles(&doc);
    assert!(
        titles.contains(&"Put through: 2 (33%)".to_owned()),
        "{titles:?}"
    );
    let widths: Vec<u32> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter_map(|n| n.attribute("width")?.parse().ok())
        .collect();
    assert_eq!(widths.len(), 2);
    assert_eq!(widths[0], 2 * widths[1]);
    let label = doc
        .root_element()
        .attribute("aria-label")
        .unwrap_or_default();
    assert!(label.contains("Put through: 2"), "{label}");
}

#[test]
fn scales_round_up_to_a_round_number() {
    assert_eq!(nice_ceiling(0), 2);
    assert_eq!(nice_ceiling(3), 4);
    assert_eq!(nice_ceiling(7), 10);
    assert_eq!(nice_ceiling(41), 50);
    assert_eq!(nice_ceiling(120), 200);
}

#[test]
fn control_characters_are_dropped_from_text() {
    assert_eq!(escape("a\u{1}b<"), "ab&lt;");
}

#[test]
fn the_newest_day_is_labelled_and_day_labels_stay_a_week_apart() {
    let svg = calls_per_day(&days(&[1; 30]));
    let doc = parse(&svg);
    let dates: Vec<(f64, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.attribute("text-anchor") == Some("middle"))
        .filter_map(|n| Some((n.attribute("x")?.parse().ok()?, n.text()?.to_owned())))
        .collect();
    assert_eq!(dates.len(), 5, "{dates:?}");
    assert!(
        dates.last().is_some_and(|(_, text)| text.contains("30")),
        "{dates:?}"
    );
    let gaps: Vec<f64> = dates.windows(2).map(|w| w[1].0 - w[0].0).collect();
    assert!(
        gaps.windows(2).all(|g| (g[0] - g[1]).abs() < 0.5),
        "even spacing: {gaps:?}"
    );
}
