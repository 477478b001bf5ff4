//! The languages bookbridge speaks: a person's choice (pages, notices, emails).

/// A language a person reads bookbridge in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
pub enum Language {
    /// English.
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh")]
    Zh,
}

impl Language {
    /// The chosen value wins (a cookie, a setting); then the first of an `Accept-Language`
    /// header that we speak; else English.
    pub fn choose(chosen: Option<&str>, accept_language: Option<&str>) -> Language {
        if let Some(lang) = chosen.and_then(Language::parse) {
            return lang;
        }
        accept_language
            .unwrap_or_default()
            .split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(|tag| {
                let tag = tag.trim().to_ascii_lowercase();
                if tag.starts_with("zh") {
                    Some(Language::Zh)
                } else if tag.starts_with("en") {
                    Some(Language::En)
                } else {
                    None
                }
            })
            .unwrap_or(Language::En)
    }

    /// Reads `en` or `zh`.
    pub fn parse(s: &str) -> Option<Language> {
        match s {
            "en" => Some(Language::En),
            "zh" => Some(Language::Zh),
            _ => None,
        }
    }

    /// The stored name: `en` or `zh`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Zh => "zh",
        }
    }

    /// The code for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Zh => "zh-CN",
        }
    }

    /// Whether it is Chinese.
    pub fn is_chinese(self) -> bool {
        self == Language::Zh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_comes_from_the_choice_then_the_header() {
        assert_eq!(
            Language::choose(None, Some("zh-CN,zh;q=0.9,en;q=0.8")),
            Language::Zh
        );
        assert_eq!(
            Language::choose(None, Some("fr-FR, en-GB;q=0.8")),
            Language::En
        );
        assert_eq!(Language::choose(Some("zh"), Some("en-US")), Language::Zh);
        assert_eq!(Language::choose(None, None), Language::En);
        assert_eq!(Language::parse("zh").map(Language::as_str), Some("zh"));
    }
}
