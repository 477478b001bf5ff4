//! China's provincial-level divisions, so a province is one value however it was typed
//! ("Yunnan", "yunnan province", "云南", "云南省") and shows in the reader's language.

/// A provincial-level division: its English name (the stored form) and its Chinese name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Province {
    /// English, as stored and as the API answers.
    pub en: &'static str,
    /// Chinese, in full (云南省, 广西壮族自治区).
    pub zh: &'static str,
}

/// All 34, in the order of the national administrative division codes.
pub const PROVINCES: [Province; 34] = [
    Province {
        en: "Beijing",
        zh: "北京市",
    },
    Province {
        en: "Tianjin",
        zh: "天津市",
    },
    Province {
        en: "Hebei",
        zh: "河北省",
    },
    Province {
        en: "Shanxi",
        zh: "山西省",
    },
    Province {
        en: "Inner Mongolia",
        zh: "内蒙古自治区",
    },
    Province {
        en: "Liaoning",
        zh: "辽宁省",
    },
    Province {
        en: "Jilin",
        zh: "吉林省",
    },
    Province {
        en: "Heilongjiang",
        zh: "黑龙江省",
    },
    Province {
        en: "Shanghai",
        zh: "上海市",
    },
    Province {
        en: "Jiangsu",
        zh: "江苏省",
    },
    Province {
        en: "Zhejiang",
        zh: "浙江省",
    },
    Province {
        en: "Anhui",
        zh: "安徽省",
    },
    Province {
        en: "Fujian",
        zh: "福建省",
    },
    Province {
        en: "Jiangxi",
        zh: "江西省",
    },
    Province {
        en: "Shandong",
        zh: "山东省",
    },
    Province {
        en: "Henan",
        zh: "河南省",
    },
    Province {
        en: "Hubei",
        zh: "湖北省",
    },
    Province {
        en: "Hunan",
        zh: "湖南省",
    },
    Province {
        en: "Guangdong",
        zh: "广东省",
    },
    Province {
        en: "Guangxi",
        zh: "广西壮族自治区",
    },
    Province {
        en: "Hainan",
        zh: "海南省",
    },
    Province {
        en: "Chongqing",
        zh: "重庆市",
    },
    Province {
        en: "Sichuan",
        zh: "四川省",
    },
    Province {
        en: "Guizhou",
        zh: "贵州省",
    },
    Province {
        en: "Yunnan",
        zh: "云南省",
    },
    Province {
        en: "Tibet",
        zh: "西藏自治区",
    },
    Province {
        en: "Shaanxi",
        zh: "陕西省",
    },
    Province {
        en: "Gansu",
        zh: "甘肃省",
    },
    Province {
        en: "Qinghai",
        zh: "青海省",
    },
    Province {
        en: "Ningxia",
        zh: "宁夏回族自治区",
    },
    Province {
        en: "Xinjiang",
        zh: "新疆维吾尔自治区",
    },
    Province {
        en: "Taiwan",
        zh: "台湾省",
    },
    Province {
        en: "Hong Kong",
        zh: "香港特别行政区",
    },
    Province {
        en: "Macao",
        zh: "澳门特别行政区",
    },
];

impl Province {
    /// The province `text` names, in English or Chinese, with or without its suffix
    /// ("Province", 省, 市, 自治区…); `None` for anything else.
    pub fn find(text: &str) -> Option<Province> {
        let typed = text.trim();
        let english = typed.to_ascii_lowercase();
        let english = english
            .strip_suffix(" province")
            .or_else(|| english.strip_suffix(" autonomous region"))
            .or_else(|| english.strip_suffix(" municipality"))
            .or_else(|| english.strip_suffix(" sar"))
            .unwrap_or(&english)
            .trim();
        PROVINCES.iter().copied().find(|p| {
            p.en.eq_ignore_ascii_case(english)
                || (english == "macau" && p.en == "Macao")
                || (english == "xizang" && p.en == "Tibet")
                || p.zh == typed
                || (!typed.is_empty() && short(p.zh) == typed)
        })
    }

    /// The name in Chinese (`zh`) or English.
    pub fn name(self, chinese: bool) -> &'static str {
        if chinese {
            self.zh
        } else {
            self.en
        }
    }
}

/// A Chinese name without its administrative suffix: 云南省 → 云南, 广西壮族自治区 → 广西.
fn short(zh: &'static str) -> &'static str {
    for suffix in [
        "维吾尔自治区",
        "壮族自治区",
        "回族自治区",
        "特别行政区",
        "自治区",
        "省",
        "市",
    ] {
        if let Some(stem) = zh.strip_suffix(suffix) {
            return stem;
        }
    }
    zh
}

/// How a stored province reads in a language: its name there when it is one we know, else as
/// it was typed.
pub fn display(stored: &str, chinese: bool) -> &str {
    match Province::find(stored) {
        Some(p) => p.name(chinese),
        None => stored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_spelling_finds_the_province() {
        for typed in ["Yunnan", "yunnan", " Yunnan Province ", "云南", "云南省"] {
            assert_eq!(
                Province::find(typed).map(|p| p.en),
                Some("Yunnan"),
                "{typed}"
            );
        }
        assert_eq!(Province::find("广西").map(|p| p.en), Some("Guangxi"));
        assert_eq!(Province::find("新疆").map(|p| p.en), Some("Xinjiang"));
        assert_eq!(
            Province::find("Inner Mongolia Autonomous Region").map(|p| p.en),
            Some("Inner Mongolia")
        );
        assert_eq!(Province::find("重庆").map(|p| p.en), Some("Chongqing"));
        assert_eq!(Province::find("Atlantis"), None);
        assert_eq!(Province::find(""), None);
        // Shanxi and Shaanxi are two provinces.
        assert_ne!(Province::find("Shanxi"), Province::find("Shaanxi"));
    }

    #[test]
    fn stored_names_show_in_the_readers_language() {
        assert_eq!(display("Yunnan", true), "云南省");
        assert_eq!(display("云南", false), "Yunnan");
        assert_eq!(display("Gansu", false), "Gansu");
        assert_eq!(display("Somewhere", true), "Somewhere");
    }
}
