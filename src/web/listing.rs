//! What every list page shares: reading its query string, the choices of
//! a filter's `<select>`, and page links that keep the filters (the query
//! string built by `serde_urlencoded`, so a search for `a&b=c` stays one
//! search, and escaped again by the template).

use serde::de::DeserializeOwned;

/// A list's query string, or the empty query with a note for the page when
/// it cannot be read (a repeated field, say): a list never answers 400.
pub fn read_query<Q: DeserializeOwned + Default>(query_string: &str) -> (Q, Option<String>) {
    match serde_urlencoded::from_str(query_string) {
        Ok(query) => (query, None),
        Err(_) => (
            Q::default(),
            Some(
                "The filters in the address could not be read, so everything is shown.".to_owned(),
            ),
        ),
    }
}

/// One `<option>` of a filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// Where a list is and how to move through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    pub page: u32,
    pub pages: u32,
    /// Rows matching the filters, on every page.
    pub total: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pagination {
    /// The links of page `page` of `pages` of `path` filtered by `filters`
    /// (`(name, value)`; empty values are left out).
    pub fn new(
        path: &str,
        filters: &[(&'static str, String)],
        page: u32,
        pages: u32,
        total: i64,
    ) -> Pagination {
        let link = |to: u32| list_url(path, filters, to);
        Pagination {
            page,
            pages,
            total,
            previous: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

/// `path?filters&page=N`, without empty filters, and without `page` for
/// the first page.
pub fn list_url(path: &str, filters: &[(&'static str, String)], page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = filters
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (*name, value.clone()))
        .collect();
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    match serde_urlencoded::to_string(&pairs) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters_and_escape_them() {
        let filters = [
            ("q", "a&b=c \"x\"".to_owned()),
            ("outcome", String::new()),
            ("from", "2026-03-01".to_owned()),
        ];
        let pages = Pagination::new("/calls", &filters, 2, 3, 60);
        assert_eq!(
            pages.previous.as_deref(),
            Some("/calls?q=a%26b%3Dc+%22x%22&from=2026-03-01")
        );
        assert_eq!(
            pages.next.as_deref(),
            Some("/calls?q=a%26b%3Dc+%22x%22&from=2026-03-01&page=3")
        );
    }

    #[test]
    fn an_unreadable_query_string_shows_everything_with_a_note() {
        #[derive(Debug, Default, PartialEq, serde::Deserialize)]
        struct Query {
            q: Option<String>,
        }
        let (query, note) = read_query::<Query>("q=a&q=b");
        assert_eq!(query, Query::default());
        assert!(note.is_some());
        let (query, note) = read_query::<Query>("q=a%26b");
        assert_eq!(query.q.as_deref(), Some("a&b"));
        assert_eq!(note, None);
    }

    #[test]
    fn the_first_and_last_pages_have_no_link_beyond_them() {
        let only = Pagination::new("/leads", &[], 1, 1, 0);
        assert_eq!((only.previous, only.next), (None, None));
        assert_eq!(list_url("/leads", &[], 1), "/leads");
    }
}
