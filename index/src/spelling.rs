//! Chinese titles and authors spelled in pinyin, so a donor on a Latin keyboard (or too
//! hurried to switch input methods) finds 小王子 by `xiaowangzi`, `xiao wang zi` or `xwz`.
//! The syllables come from the `pinyin` crate (one reading per character, tones dropped).

use pinyin::ToPinyin;

/// The pinyin words of the Chinese runs in `text`: every syllable, and for each run of two
/// or more characters its syllables joined and its initials. Empty when `text` has no
/// Chinese character.
pub fn pinyin_words(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut run: Vec<&'static str> = Vec::new();
    let mut initials = String::new();
    let end_run = |run: &mut Vec<&'static str>, initials: &mut String, words: &mut Vec<String>| {
        if run.len() >= 2 {
            words.push(run.concat());
            words.push(std::mem::take(initials));
        }
        run.clear();
        initials.clear();
    };
    for reading in text.to_pinyin() {
        match reading {
            Some(reading) => {
                words.push(reading.plain().to_owned());
                run.push(reading.plain());
                initials.push_str(reading.first_letter());
            }
            None => end_run(&mut run, &mut initials, &mut words),
        }
    }
    end_run(&mut run, &mut initials, &mut words);
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_gives_its_syllables_the_whole_run_and_its_initials() {
        assert_eq!(pinyin_words("小王子"), "xiao wang zi xiaowangzi xwz");
        assert_eq!(
            pinyin_words("《草房子》（插图本）"),
            "cao fang zi caofangzi cfz cha tu ben chatuben ctb"
        );
        assert_eq!(pinyin_words("曹文轩"), "cao wen xuan caowenxuan cwx");
        assert_eq!(pinyin_words("Goodnight Moon"), "", "nothing to spell");
        assert_eq!(
            pinyin_words("书 A"),
            "shu",
            "a lone character is only its syllable"
        );
    }
}
