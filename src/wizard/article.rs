//! What the wizard reads from an article outside its diagnosis: its symptom in a line or
//! two beside a candidate, and the articles it says to troubleshoot "in the same way" as.
//! Pure: articles in, text out.

use crate::kb::{self, Article, ArticleId, Block, Item, Section};

/// Longest symptom summary shown beside a candidate, in characters.
const SYMPTOM_CHARS: usize = 240;

fn section<'a>(article: &'a Article, word: &str) -> Option<&'a Section> {
    article.sections.iter().find(|s| s.heading.contains(word))
}

/// The article's symptom in one or two sentences: the start of SYMPTOMS, else of the first
/// section.
pub fn symptom(article: &Article) -> String {
    let Some(s) = section(article, "SYMPTOM").or(article.sections.first()) else {
        return String::new();
    };
    let first = s
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Paragraph { text } => Some(text.clone()),
            Block::Steps { items, .. } | Block::Bullets { items } => {
                items.first().map(Item::full_text)
            }
            Block::Heading { .. } | Block::Preformatted { .. } => None,
        })
        .unwrap_or_default();
    let mut out = String::new();
    for (i, sentence) in kb::sentences(&first).into_iter().enumerate() {
        if i == 2 || (i > 0 && out.len() + sentence.len() > SYMPTOM_CHARS) {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(sentence);
    }
    if out.chars().count() > SYMPTOM_CHARS {
        out = out.chars().take(SYMPTOM_CHARS - 1).collect::<String>() + "…";
    }
    out
}

/// The articles cited in or right after a sentence saying to troubleshoot this problem
/// "in the same way" as another: the KB's own "if this does not help, go there".
pub fn same_way_citations(article: &Article) -> Vec<ArticleId> {
    let mut out = Vec::new();
    for s in &article.sections {
        let paras: Vec<&str> = s.text.split("\n\n").collect();
        for (i, p) in paras.iter().enumerate() {
            let flat = p.split_whitespace().collect::<Vec<_>>().join(" ");
            if !flat.to_lowercase().contains("same way") {
                continue;
            }
            for q in paras[i..].iter().take(2) {
                for (_, id) in kb::citations(q) {
                    if id != article.id && !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Vec<Block> {
        s.split("\n\n")
            .map(|p| Block::Paragraph { text: p.into() })
            .collect()
    }

    fn article(sections: Vec<(&str, &str, Vec<Block>)>) -> Article {
        Article {
            sections: sections
                .into_iter()
                .map(|(h, t, blocks)| Section {
                    heading: h.into(),
                    text: t.into(),
                    blocks,
                })
                .collect(),
            ..Article::titled(ArticleId(1), "T")
        }
    }

    #[test]
    fn symptom_is_the_first_sentences() {
        let a = article(vec![(
            "SYMPTOMS",
            "",
            text("The bridge stops. Mail queues up. Nobody knows why.\n\nEvent ID: 1"),
        )]);
        assert_eq!(symptom(&a), "The bridge stops. Mail queues up.");
    }

    #[test]
    fn same_way_sentences_name_their_article() {
        let a = article(vec![(
            "MORE INFORMATION",
            "Contact the vendor. See Q000002.\n\nNOTE: You can troubleshoot this in the same\n\
             way as Event ID 70, see:\n\n   Q000003 Title",
            vec![],
        )]);
        assert_eq!(same_way_citations(&a), [ArticleId(3)]);
    }
}
