//! What a session knows without asking: the product and version the user runs and the
//! event already recognised. Given at the start (Event Viewer's ProdName/ProdVer) or learnt
//! from earlier answers; the checks it settles are not asked again.

use serde::{Deserialize, Serialize};

/// Facts settled before or during a walk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    /// The product the user runs, as named by them or their event ("Microsoft Exchange
    /// Server"); `None` until known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The versions it may be ("5.5"); several when an answer allowed any of them, empty
    /// when unknown.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// The event already recognised as the start article's symptom, in a line ("Event 68
    /// from MSExchangeCCMC"); when set, the symptom is not asked for that article.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
}

impl Known {
    /// Known product and version, nothing recognised.
    pub fn product(product: &str, version: &str) -> Self {
        Known {
            product: Some(product.trim().to_string()).filter(|p| !p.is_empty()),
            versions: Some(version.trim().to_string())
                .filter(|v| !v.is_empty())
                .into_iter()
                .collect(),
            event: None,
        }
    }

    /// The same facts with the start article's symptom recognised as `event`.
    pub fn with_event(mut self, event: &str) -> Self {
        self.event = Some(event.to_string());
        self
    }
}
