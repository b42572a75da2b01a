//! The domain words the store keeps as TEXT: a session's outcome and origin, a step's
//! kind, and how a session was given up (a label its insights query writes). Each is an
//! enum that serde and sqlx map by the same snake_case name, so the stored text is parsed
//! once, as it is read, and carried typed from there on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How a session ended. Stored as the same snake_case TEXT serde writes (`resolved`,
/// `escalated`); `NULL` while it is in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A fix worked.
    Resolved,
    /// Nothing the articles offer worked: handed to the helpdesk.
    Escalated,
}

impl Outcome {
    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::Escalated => "escalated",
        }
    }
}

/// What a session started from. Stored as snake_case TEXT (`paste`, `search`, `article`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Pasted event or error text.
    Paste,
    /// Search words.
    Search,
    /// An article, as if chosen (the Troubleshoot button, Event Viewer's link).
    Article,
}

impl Origin {
    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Paste => "paste",
            Origin::Search => "search",
            Origin::Article => "article",
        }
    }
}

/// How a session was given up, for the staff insights: escalated to the helpdesk, or left
/// idle. Not stored as such: a query labels its rows with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GiveUp {
    /// Ended with the transcript for the helpdesk.
    Escalated,
    /// Left without an outcome.
    Abandoned,
}

impl GiveUp {
    /// The name a query labels its rows with.
    pub fn as_str(self) -> &'static str {
        match self {
            GiveUp::Escalated => "escalated",
            GiveUp::Abandoned => "abandoned",
        }
    }
}

/// What a wizard step asks. Stored as snake_case TEXT (`choose_article`, `check_cause`...),
/// the same name serde writes into the step's JSON; the human names are the wizard's
/// (`StepKind::label`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Which article describes the problem.
    ChooseArticle,
    /// Is this the message you see?
    CheckSymptom,
    /// Are you running an affected version?
    CheckVersion,
    /// Does this cause apply?
    CheckCause,
    /// Which branch of the fix applies?
    ChooseBranch,
    /// Did this fix it?
    TryResolution,
    /// Did this workaround help?
    TryWorkaround,
    /// Which article the current one names to try next.
    Related,
    /// Fixed: the end.
    Resolved,
    /// Nothing worked: the transcript for the helpdesk.
    Escalated,
}

impl StepKind {
    /// Every kind, in the order a walk meets them.
    pub const ALL: [StepKind; 10] = [
        StepKind::ChooseArticle,
        StepKind::CheckSymptom,
        StepKind::CheckVersion,
        StepKind::CheckCause,
        StepKind::ChooseBranch,
        StepKind::TryResolution,
        StepKind::TryWorkaround,
        StepKind::Related,
        StepKind::Resolved,
        StepKind::Escalated,
    ];

    /// The snake_case name used in JSON, URLs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::ChooseArticle => "choose_article",
            StepKind::CheckSymptom => "check_symptom",
            StepKind::CheckVersion => "check_version",
            StepKind::CheckCause => "check_cause",
            StepKind::ChooseBranch => "choose_branch",
            StepKind::TryResolution => "try_resolution",
            StepKind::TryWorkaround => "try_workaround",
            StepKind::Related => "related",
            StepKind::Resolved => "resolved",
            StepKind::Escalated => "escalated",
        }
    }
}

/// Stores a word enum as its name in a TEXT column, on SQLite and PostgreSQL alike (a
/// derived `sqlx::Type` would look for a PostgreSQL enum type of that name).
/// Also parses and prints the word by the same name (`FromStr`, `Display`). `$all` lists
/// every value: the parser looks the name up among them.
macro_rules! text_column {
    ($t:ty, $noun:literal, $all:expr) => {
        impl FromStr for $t {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $all.into_iter()
                    .find(|o| o.as_str() == s)
                    .ok_or_else(|| format!("{s:?} is not a {}", $noun))
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB: sqlx::Database> sqlx::Type<DB> for $t
        where
            str: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as sqlx::Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $t
        where
            &'q str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, DB>>::encode_by_ref(&self.as_str(), buf)
            }
        }

        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $t
        where
            &'r str: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                Ok(<&str as sqlx::Decode<'r, DB>>::decode(value)?.parse::<$t>()?)
            }
        }
    };
}

text_column!(
    Outcome,
    "session outcome",
    [Outcome::Resolved, Outcome::Escalated]
);
text_column!(
    Origin,
    "session origin",
    [Origin::Paste, Origin::Search, Origin::Article]
);
text_column!(StepKind, "step kind", StepKind::ALL);
text_column!(
    GiveUp,
    "way of giving up",
    [GiveUp::Escalated, GiveUp::Abandoned]
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewSession, NewStep, Store, StoreError};
    use sqlx::SqlitePool;

    /// Every word with the TEXT it is stored as: these must never change, the databases
    /// already hold them.
    const KINDS: [(StepKind, &str); 10] = [
        (StepKind::ChooseArticle, "choose_article"),
        (StepKind::CheckSymptom, "check_symptom"),
        (StepKind::CheckVersion, "check_version"),
        (StepKind::CheckCause, "check_cause"),
        (StepKind::ChooseBranch, "choose_branch"),
        (StepKind::TryResolution, "try_resolution"),
        (StepKind::TryWorkaround, "try_workaround"),
        (StepKind::Related, "related"),
        (StepKind::Resolved, "resolved"),
        (StepKind::Escalated, "escalated"),
    ];

    /// `word` is written as `text` by every path (its name, `Display`, serde, sqlx) and read
    /// back from each; `pool` is a scratch SQLite database.
    async fn round_trips<T>(pool: &SqlitePool, word: T, text: &str)
    where
        T: Copy + fmt::Debug + PartialEq + fmt::Display + FromStr<Err = String>,
        T: Serialize + for<'de> Deserialize<'de> + Send + Unpin,
        T: for<'q> sqlx::Encode<'q, sqlx::Sqlite> + for<'r> sqlx::Decode<'r, sqlx::Sqlite>,
        T: sqlx::Type<sqlx::Sqlite>,
    {
        assert_eq!(word.to_string(), text);
        assert_eq!(text.parse::<T>(), Ok(word));
        assert_eq!(serde_json::to_value(word).unwrap(), text);
        assert_eq!(serde_json::from_value::<T>(text.into()).unwrap(), word);
        let (stored, kind): (String, String) = sqlx::query_as("SELECT $1, typeof($1)")
            .bind(word)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!((stored.as_str(), kind.as_str()), (text, "text"));
        let read: T = sqlx::query_scalar("SELECT $1")
            .bind(text)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(read, word);
    }

    #[tokio::test]
    async fn words_keep_their_stored_names_both_ways() {
        let pool = SqlitePool::connect("sqlite::memory:").await.unwrap();
        assert_eq!(KINDS.map(|(k, _)| k), StepKind::ALL);
        for (kind, text) in KINDS {
            assert_eq!(kind.as_str(), text);
            round_trips(&pool, kind, text).await;
        }
        for (outcome, text) in [
            (Outcome::Resolved, "resolved"),
            (Outcome::Escalated, "escalated"),
        ] {
            round_trips(&pool, outcome, text).await;
        }
        for (origin, text) in [
            (Origin::Paste, "paste"),
            (Origin::Search, "search"),
            (Origin::Article, "article"),
        ] {
            round_trips(&pool, origin, text).await;
        }
        for (how, text) in [
            (GiveUp::Escalated, "escalated"),
            (GiveUp::Abandoned, "abandoned"),
        ] {
            round_trips(&pool, how, text).await;
        }
    }

    #[tokio::test]
    async fn unknown_words_are_refused_by_name() {
        let pool = SqlitePool::connect("sqlite::memory:").await.unwrap();
        for bad in ["Resolved", "choose article", "choose_article ", "", "walk"] {
            let err = bad.parse::<StepKind>().unwrap_err();
            assert_eq!(err, format!("{bad:?} is not a step kind"));
            assert!(
                serde_json::from_value::<StepKind>(bad.into()).is_err(),
                "{bad}"
            );
            let read: Result<StepKind, StoreError> = sqlx::query_scalar("SELECT $1")
                .bind(bad)
                .fetch_one(&pool)
                .await
                .map_err(StoreError::from);
            assert!(
                matches!(&read, Err(StoreError::Corrupt(m)) if m.contains(&err)),
                "{bad}: {read:?}"
            );
        }
        assert!("abandoned".parse::<Outcome>().is_err());
        assert!("email".parse::<Origin>().is_err());
    }

    #[tokio::test]
    async fn an_unknown_stored_step_kind_is_a_corrupt_row_not_a_panic() {
        let store = Store::open_in_memory().await.unwrap();
        let step = |kind| NewStep {
            kind,
            article: None,
            cause_index: None,
            step: "{}".into(),
        };
        let session = NewSession {
            id: "0123456789abcdef0123456789abcdef".into(),
            origin: Origin::Search,
            input: "disk full".into(),
            recognised: "[]".into(),
            event_key: None,
            first: step(StepKind::ChooseArticle),
            created_at: 1_700_000_000,
            client: None,
        };
        store.create_session(&session).await.unwrap();
        let row = store.session(&session.id).await.unwrap().unwrap();
        assert_eq!(row.current_kind, StepKind::ChooseArticle);
        let steps = store.session_steps(&session.id).await.unwrap();
        assert_eq!(steps[0].kind, StepKind::ChooseArticle);
        // A kind this build does not know: written by hand, or by a later version.
        for sql in [
            "UPDATE wizard_sessions SET current_kind = 'walk_the_dog'",
            "UPDATE wizard_steps SET kind = 'walk_the_dog'",
        ] {
            sqlx::query(sql).execute(store.pool()).await.unwrap();
        }
        let read = store.session(&session.id).await;
        assert!(
            matches!(&read, Err(StoreError::Corrupt(m))
                if m.contains("current_kind") && m.contains("\"walk_the_dog\" is not a step kind")),
            "{read:?}"
        );
        let read = store.session_steps(&session.id).await;
        assert!(
            matches!(&read, Err(StoreError::Corrupt(m)) if m.contains("walk_the_dog")),
            "{read:?}"
        );
    }
}
