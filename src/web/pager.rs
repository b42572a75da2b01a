//! The page counts and previous/next links under a paged list (search results, a category
//! listing), built once here and drawn by `templates/pager.html`.

/// Where a paged list stands and the links around it.
pub(super) struct Pager {
    /// The page shown, from 1.
    pub page: i64,
    /// How many pages there are (0 when the list is empty).
    pub pages: i64,
    /// The page before, when there is one.
    pub prev: Option<PageLink>,
    /// The page after, when there is one.
    pub next: Option<PageLink>,
}

/// A link to another page of the list.
pub(super) struct PageLink {
    pub url: String,
    /// What the link reads ("← Previous", "Older →"...).
    pub label: &'static str,
}

impl Pager {
    /// Page `page` of `total` items shown `per_page` at a time; `url` is a page's address,
    /// `labels` the previous and next links' words.
    pub fn new(
        page: i64,
        total: i64,
        per_page: i64,
        labels: (&'static str, &'static str),
        url: impl Fn(i64) -> String,
    ) -> Self {
        let pages = (total + per_page - 1) / per_page.max(1);
        let link = |n: i64, label| PageLink { url: url(n), label };
        Self {
            page,
            pages,
            prev: (page > 1).then(|| link(page - 1, labels.0)),
            next: (page < pages).then(|| link(page + 1, labels.1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_only_where_there_is_a_page() {
        // (page, total, per page) → (pages, previous page, next page)
        let cases = [
            ((1, 0, 20), (0, None, None)),
            ((1, 20, 20), (1, None, None)),
            ((1, 21, 20), (2, None, Some("/p/2"))),
            ((2, 21, 20), (2, Some("/p/1"), None)),
            ((3, 100, 20), (5, Some("/p/2"), Some("/p/4"))),
            ((9, 21, 20), (2, Some("/p/8"), None)),
        ];
        for ((page, total, per), (pages, prev, next)) in cases {
            let p = Pager::new(page, total, per, ("prev", "next"), |n| format!("/p/{n}"));
            assert_eq!(p.pages, pages, "{page}/{total}");
            assert_eq!(p.prev.as_ref().map(|l| l.url.as_str()), prev);
            assert_eq!(p.next.as_ref().map(|l| l.url.as_str()), next);
            assert!(p.prev.iter().all(|l| l.label == "prev"));
        }
    }
}
