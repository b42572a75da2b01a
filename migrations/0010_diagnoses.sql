-- What the wizard asks and offers for each article (kb::Diagnosis as JSON), read from the
-- article once at import so building a step is pure work over stored data.
CREATE TABLE diagnoses (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    body       TEXT NOT NULL            -- JSON of kb::Diagnosis
);
