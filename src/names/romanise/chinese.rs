//! Chinese romanisation: Wade–Giles ↔ Hanyu Pinyin by a full syllable table, and the
//! postal names (Peking, Canton, Mukden…) by an alias table.
//!
//! A name's reading is a set of Pinyin keys (toneless, ü folded to u, no separators):
//! "Mao Tse-tung" and "Mao Zedong" both read "maozedong". A Wade–Giles syllable
//! written without its aspiration apostrophe has two readings (chou → zhou or, if the
//! apostrophe was lost, ch'ou → chou), and ü written u has both as well.

use super::{is_apostrophe, split_parts};
use crate::gazetteer::System;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Pinyin syllable, then its Wade–Giles spelling(s), one syllable a line. Typed from the
/// standard correspondence (Wade–Giles as in Mathews' dictionary); ê and ü as written.
const TABLE: &str = "\
a a|ai ai|an an|ang ang|ao ao|e o ê|ei ei|en ên en|eng êng eng|er êrh erh|o o|ou ou
ba pa|bai pai|ban pan|bang pang|bao pao|bei pei|ben pên pen|beng pêng peng|bi pi|bian pien|biao piao|bie pieh|bin pin|bing ping|bo po|bu pu
pa p'a|pai p'ai|pan p'an|pang p'ang|pao p'ao|pei p'ei|pen p'ên p'en|peng p'êng p'eng|pi p'i|pian p'ien|piao p'iao|pie p'ieh|pin p'in|ping p'ing|po p'o|pou p'ou|pu p'u
ma ma|mai mai|man man|mang mang|mao mao|me me|mei mei|men mên men|meng mêng meng|mi mi|mian mien|miao miao|mie mieh|min min|ming ming|miu miu|mo mo|mou mou|mu mu
fa fa|fan fan|fang fang|fei fei|fen fên fen|feng fêng feng|fo fo|fou fou|fu fu
da ta|dai tai|dan tan|dang tang|dao tao|de tê te|dei tei|den tên|deng têng teng|di ti|dia tia|dian tien|diao tiao|die tieh|ding ting|diu tiu|dong tung|dou tou|du tu|duan tuan|dui tui|dun tun|duo to
ta t'a|tai t'ai|tan t'an|tang t'ang|tao t'ao|te t'ê t'e|teng t'êng t'eng|ti t'i|tian t'ien|tiao t'iao|tie t'ieh|ting t'ing|tong t'ung|tou t'ou|tu t'u|tuan t'uan|tui t'ui|tun t'un|tuo t'o
na na|nai nai|nan nan|nang nang|nao nao|ne nê ne|nei nei|nen nên nen|neng nêng neng|ni ni|nian nien|niang niang|niao niao|nie nieh|nin nin|ning ning|niu niu|nong nung|nou nou|nu nu|nü nü|nuan nuan|nüe nüeh|nuo no|nun nun
la la|lai lai|lan lan|lang lang|lao lao|le lê le|lei lei|leng lêng leng|li li|lia lia|lian lien|liang liang|liao liao|lie lieh|lin lin|ling ling|liu liu|lo lo|long lung|lou lou|lu lu|lü lü|luan luan|lüe lüeh|lun lun|luo lo
ga ka|gai kai|gan kan|gang kang|gao kao|ge ko kê|gei kei|gen kên ken|geng kêng keng|gong kung|gou kou|gu ku|gua kua|guai kuai|guan kuan|guang kuang|gui kuei|gun kun|guo kuo
ka k'a|kai k'ai|kan k'an|kang k'ang|kao k'ao|ke k'o k'ê|ken k'ên k'en|keng k'êng k'eng|kong k'ung|kou k'ou|ku k'u|kua k'ua|kuai k'uai|kuan k'uan|kuang k'uang|kui k'uei|kun k'un|kuo k'uo
ha ha|hai hai|han han|hang hang|hao hao|he ho hê|hei hei|hen hên hen|heng hêng heng|hong hung|hou hou|hu hu|hua hua|huai huai|huan huan|huang huang|hui hui|hun hun|huo huo
ji chi|jia chia|jian chien|jiang chiang|jiao chiao|jie chieh|jin chin|jing ching|jiong chiung|jiu chiu|ju chü|juan chüan|jue chüeh chüo|jun chün
qi ch'i|qia ch'ia|qian ch'ien|qiang ch'iang|qiao ch'iao|qie ch'ieh|qin ch'in|qing ch'ing|qiong ch'iung|qiu ch'iu|qu ch'ü|quan ch'üan|que ch'üeh ch'üo|qun ch'ün
xi hsi|xia hsia|xian hsien|xiang hsiang|xiao hsiao|xie hsieh|xin hsin|xing hsing|xiong hsiung|xiu hsiu|xu hsü|xuan hsüan|xue hsüeh hsüo|xun hsün
zha cha|zhai chai|zhan chan|zhang chang|zhao chao|zhe chê che|zhei chei|zhen chên chen|zheng chêng cheng|zhi chih|zhong chung|zhou chou|zhu chu|zhua chua|zhuai chuai|zhuan chuan|zhuang chuang|zhui chui|zhun chun|zhuo cho
cha ch'a|chai ch'ai|chan ch'an|chang ch'ang|chao ch'ao|che ch'ê ch'e|chen ch'ên ch'en|cheng ch'êng ch'eng|chi ch'ih|chong ch'ung|chou ch'ou|chu ch'u|chua ch'ua|chuai ch'uai|chuan ch'uan|chuang ch'uang|chui ch'ui|chun ch'un|chuo ch'o
sha sha|shai shai|shan shan|shang shang|shao shao|she shê she|shei shei|shen shên shen|sheng shêng sheng|shi shih|shou shou|shu shu|shua shua|shuai shuai|shuan shuan|shuang shuang|shui shui|shun shun|shuo shuo
ran jan|rang jang|rao jao|re jê je|ren jên jen|reng jêng jeng|ri jih|rong jung|rou jou|ru ju|ruan juan|rui jui|run jun|ruo jo
za tsa|zai tsai|zan tsan|zang tsang|zao tsao|ze tsê tse|zei tsei|zen tsên tsen|zeng tsêng tseng|zi tzu|zong tsung|zou tsou|zu tsu|zuan tsuan|zui tsui|zun tsun|zuo tso
ca ts'a|cai ts'ai|can ts'an|cang ts'ang|cao ts'ao|ce ts'ê ts'e|cen ts'ên ts'en|ceng ts'êng ts'eng|ci tz'u|cong ts'ung|cou ts'ou|cu ts'u|cuan ts'uan|cui ts'ui|cun ts'un|cuo ts'o
sa sa|sai sai|san san|sang sang|sao sao|se sê se|sei sei|sen sên sen|seng sêng seng|si ssu szu|song sung|sou sou|su su|suan suan|sui sui|sun sun|suo so
ya ya|yai yai|yan yen|yang yang|yao yao|ye yeh|yi i yi|yin yin|ying ying|yo yo|yong yung|you yu|yu yü|yuan yüan|yue yüeh yüo|yun yün
wa wa|wai wai|wan wan|wang wang|wei wei|wen wên wen|weng wêng weng|wo wo|wu wu";

/// Postal and other customary names that no syllable rule reaches, with their Pinyin key.
pub const POSTAL: &[(&str, &str)] = &[
    ("peking", "beijing"),
    ("peiping", "beiping"),
    ("nanking", "nanjing"),
    ("canton", "guangzhou"),
    ("mukden", "shenyang"),
    ("tsingtao", "qingdao"),
    ("amoy", "xiamen"),
    ("sian", "xian"),
    ("chungking", "chongqing"),
    ("tientsin", "tianjin"),
    ("hankow", "hankou"),
    ("foochow", "fuzhou"),
    ("hangchow", "hangzhou"),
    ("soochow", "suzhou"),
    ("swatow", "shantou"),
    ("kirin", "jilin"),
    ("tsinan", "jinan"),
    ("szechwan", "sichuan"),
    ("shantung", "shandong"),
    ("fukien", "fujian"),
    ("kiangsu", "jiangsu"),
    ("chekiang", "zhejiang"),
    ("kwangtung", "guangdong"),
    ("kwangsi", "guangxi"),
    ("kweichow", "guizhou"),
    ("sinkiang", "xinjiang"),
    ("shansi", "shanxi"),
    ("shensi", "shaanxi"),
    ("hopeh", "hebei"),
    ("hupeh", "hubei"),
    ("honan", "henan"),
    ("kansu", "gansu"),
    ("yenan", "yanan"),
];

struct Tables {
    /// Pinyin syllables (ü kept).
    pinyin: HashMap<String, ()>,
    /// Wade–Giles spelling as typed (ê/ü possibly plain, apostrophe possibly lost) → Pinyin
    /// syllables, exact readings first.
    wade: HashMap<String, Vec<String>>,
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut pinyin = HashMap::new();
        let mut exact: Vec<(String, String)> = Vec::new();
        for row in TABLE.split(['|', '\n']) {
            let mut it = row.split_whitespace();
            let Some(py) = it.next() else { continue };
            pinyin.insert(py.to_string(), ());
            for wg in it {
                exact.push((wg.to_string(), py.to_string()));
            }
        }
        let mut wade: HashMap<String, Vec<String>> = HashMap::new();
        let mut add = |k: String, py: &str| {
            let v = wade.entry(k).or_default();
            if !v.iter().any(|x| x == py) {
                v.push(py.to_string());
            }
        };
        // Exact spellings first, then the ones with lost marks.
        for (wg, py) in &exact {
            add(wg.clone(), py);
            add(wg.replace('ê', "e"), py);
            add(wg.replace('ü', "u"), py);
        }
        for (wg, py) in &exact {
            let lost = wg.replace('\'', "").replace('ê', "e");
            add(lost.clone(), py);
            add(lost.replace('ü', "u"), py);
        }
        Tables { pinyin, wade }
    })
}

/// Lower-case; tone marks dropped but ü and ê kept; apostrophes as ASCII.
fn normalise(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let kept: String = s
        .nfd()
        .filter(|c| {
            !unicode_normalization::char::is_combining_mark(*c)
                || matches!(c, '\u{302}' | '\u{308}')
        })
        .nfc()
        .collect();
    kept.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .collect()
}

fn fold_u(s: &str) -> String {
    s.replace(['ü', 'v'], "u")
}

/// Can `s` (letters only, ü allowed) be cut into Pinyin syllables?
fn pinyin_splits(s: &str) -> bool {
    let t = tables();
    let n = s.len();
    let mut ok = vec![false; n + 1];
    if let Some(f) = ok.first_mut() {
        *f = true;
    }
    for i in 0..n {
        if !ok.get(i).copied().unwrap_or(false) || !s.is_char_boundary(i) {
            continue;
        }
        for len in 1..=7 {
            let j = i + len;
            if let Some(piece) = s.get(i..j)
                && t.pinyin.contains_key(piece)
                && let Some(slot) = ok.get_mut(j)
            {
                *slot = true;
            }
        }
    }
    ok.get(n).copied().unwrap_or(false)
}

/// The readings of one word as Pinyin (the word's own letters, if they cut into Pinyin
/// syllables; apostrophes in Pinyin only separate syllables).
fn pinyin_reading(word: &str) -> Option<String> {
    let w = normalise(word);
    let mut letters = String::new();
    for piece in w.split(['\'', '-', '\u{2010}', '\u{2011}']) {
        if piece.is_empty() {
            continue;
        }
        if piece.contains('ê') || !pinyin_splits(piece) {
            return None;
        }
        letters.push_str(piece);
    }
    (!letters.is_empty()).then(|| fold_u(&letters))
}

/// Wade–Giles readings of one word: each hyphenated part one syllable (or two, for
/// parts written solid), mapped through the table. Capped.
fn wade_readings(word: &str) -> Vec<String> {
    let t = tables();
    let w = normalise(word);
    let mut acc: Vec<String> = vec![String::new()];
    for part in split_parts(&w) {
        let mut next: Vec<String> = Vec::new();
        let options = wade_part(t, part);
        if options.is_empty() {
            return Vec::new();
        }
        for a in &acc {
            for o in &options {
                if next.len() < 32 {
                    next.push(format!("{a}{o}"));
                }
            }
        }
        acc = next;
    }
    acc.retain(|s| !s.is_empty());
    acc.sort();
    acc.dedup();
    acc
}

/// Readings of one hyphen-free part: one syllable, or two written solid.
fn wade_part(t: &Tables, part: &str) -> Vec<String> {
    if let Some(v) = t.wade.get(part) {
        return v.iter().map(|p| fold_u(p)).collect();
    }
    let mut out = Vec::new();
    for (i, _) in part.char_indices().skip(1) {
        let (a, b) = part.split_at(i);
        if let (Some(x), Some(y)) = (t.wade.get(a), t.wade.get(b.trim_start_matches('\''))) {
            for p in x {
                for q in y {
                    out.push(fold_u(&format!("{p}{q}")));
                }
            }
        }
    }
    out
}

/// Whether `word` is one Chinese syllable in Pinyin or Wade–Giles (Chen, Ch’en, Chien,
/// Zhang).
pub fn is_syllable(word: &str) -> bool {
    let t = tables();
    let w = normalise(word);
    t.pinyin.contains_key(w.as_str()) || t.wade.contains_key(w.as_str())
}

/// One reading of a word: a Pinyin key and the system it was read in.
pub type Reading = (String, System);

/// Every reading of one word (Pinyin, Wade–Giles, postal), deduplicated.
pub fn word_readings(word: &str) -> Vec<Reading> {
    let mut out: Vec<Reading> = Vec::new();
    let w = normalise(word);
    if let Some((_, py)) = POSTAL.iter().find(|(p, _)| *p == w) {
        out.push((py.to_string(), System::Postal));
    }
    if let Some(p) = pinyin_reading(word) {
        out.push((p, System::Pinyin));
    }
    for r in wade_readings(word) {
        out.push((r, System::WadeGiles));
    }
    out
}

/// Readings of a whole name: word readings joined without separators, so that
/// "Mao Tse Tung", "Mao Tse-tung" and "Mao Zedong" meet. Empty when some word has no
/// reading. Each reading carries the systems every word of it can be read in (so "Mao"
/// does not make "Mao Tse-tung" Pinyin).
pub fn readings(name: &str) -> Vec<(String, Vec<System>)> {
    let mut acc: Vec<(String, Vec<System>)> = vec![(String::new(), Vec::new())];
    let mut first = true;
    for word in name.split_whitespace() {
        let mut rs: Vec<(String, Vec<System>)> = Vec::new();
        for (k, s) in word_readings(word) {
            match rs.iter_mut().find(|(x, _)| *x == k) {
                Some((_, v)) => v.push(s),
                None => rs.push((k, vec![s])),
            }
        }
        if rs.is_empty() {
            return Vec::new();
        }
        let mut next = Vec::new();
        for (a, sa) in &acc {
            for (r, sr) in &rs {
                if next.len() >= 64 {
                    break;
                }
                let both: Vec<System> = if first {
                    sr.clone()
                } else {
                    let inter: Vec<System> =
                        sa.iter().copied().filter(|s| sr.contains(s)).collect();
                    if inter.is_empty() {
                        let mut u = sa.clone();
                        u.extend(sr.iter().copied().filter(|s| !sa.contains(s)));
                        u
                    } else {
                        inter
                    }
                };
                next.push((format!("{a}{r}"), both));
            }
        }
        acc = next;
        first = false;
    }
    acc.retain(|(k, _)| !k.is_empty());
    acc.sort_by(|a, b| a.0.cmp(&b.0));
    acc.dedup();
    acc
}

/// If `a` and `b` are one Chinese name, the systems they were read in (a pair of
/// different systems when the readings allow it).
pub fn same(a: &str, b: &str) -> Option<(System, System)> {
    let ra = readings(a);
    let rb = readings(b);
    let mut best: Option<(System, System)> = None;
    for (ka, sa) in &ra {
        for (kb, sb) in &rb {
            if ka != kb {
                continue;
            }
            for x in sa {
                for y in sb {
                    if x != y && best.is_none_or(|(p, q)| p == q) {
                        best = Some((*x, *y));
                    }
                    if best.is_none() {
                        best = Some((*x, *y));
                    }
                }
            }
        }
    }
    best
}

/// Which convention a Chinese spelling shows, if its letters say so: an aspiration
/// apostrophe, hyphenated syllables, hs-, -ih, ts/tz, ê, -ung ⇒ Wade–Giles; zh, q, x,
/// z, c, r or a b/d/g initial ⇒ Pinyin; a postal name ⇒ Postal.
pub fn guess(name: &str) -> Option<System> {
    let words: Vec<String> = name.split_whitespace().map(normalise).collect();
    if words.is_empty() || readings(name).is_empty() {
        return None;
    }
    if words.iter().any(|w| POSTAL.iter().any(|(p, _)| p == w)) {
        return Some(System::Postal);
    }
    let mut wade = false;
    let mut pinyin = false;
    // A short single word that is Pinyin only by a b/d/g initial (Dang, Gang, Deng) may
    // just as well be English: it needs a letter only Pinyin writes.
    let short = words.len() == 1 && words.iter().all(|w| w.chars().count() <= 4);
    let strong_pinyin = |w: &str| {
        w.contains("zh")
            || w.contains('x')
            || w.contains('q')
            || w.contains('ü')
            || w.starts_with(['z', 'c', 'r'])
    };
    for w in &words {
        let is_wade = !wade_readings(w).is_empty();
        let is_pinyin = pinyin_reading(w).is_some();
        if is_wade && !is_pinyin {
            wade = true;
        } else if is_pinyin && !is_wade {
            if !short || strong_pinyin(w) {
                pinyin = true;
            }
        } else if is_wade {
            let parts: Vec<&str> = split_parts(w).collect();
            if w.contains('\'') || w.contains('ê') || parts.len() > 1 && !w.contains(' ') {
                wade = true;
            }
        }
    }
    match (wade, pinyin) {
        (true, false) => Some(System::WadeGiles),
        (false, true) => Some(System::Pinyin),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_full_and_well_formed() {
        let t = tables();
        assert!(t.pinyin.len() >= 390, "{} syllables", t.pinyin.len());
        for py in t.pinyin.keys() {
            assert!(
                py.chars().all(|c| c.is_ascii_lowercase() || c == 'ü'),
                "{py}"
            );
        }
        // Every WG spelling reads back to at least one syllable that exists.
        for v in t.wade.values() {
            for py in v {
                assert!(t.pinyin.contains_key(py.as_str()), "{py}");
            }
        }
        for (wg, py) in [
            ("tse", "ze"),
            ("tung", "dong"),
            ("ch'ou", "chou"),
            ("hsiung", "xiong"),
            ("tzu", "zi"),
            ("ssu", "si"),
            ("jih", "ri"),
            ("chih", "zhi"),
            ("ch'ih", "chi"),
            ("kuei", "gui"),
            ("yüeh", "yue"),
            ("erh", "er"),
        ] {
            assert_eq!(
                t.wade.get(wg).and_then(|v| v.first()).map(String::as_str),
                Some(py),
                "{wg}"
            );
        }
    }

    #[test]
    fn wade_giles_meets_pinyin() {
        for (a, b) in [
            ("Mao Tse-tung", "Mao Zedong"),
            ("Mao Tse Tung", "Mao Zedong"),
            ("Chou En-lai", "Zhou Enlai"),
            ("P'eng Te-huai", "Peng Dehuai"),
            ("Peng Te-huai", "Peng Dehuai"),
            ("Kao Kang", "Gao Gang"),
            ("Liu Shao-ch'i", "Liu Shaoqi"),
            ("Chu Te", "Zhu De"),
            ("Lin Piao", "Lin Biao"),
            ("Teng Hsiao-p'ing", "Deng Xiaoping"),
            ("Hsü Hsiang-ch'ien", "Xu Xiangqian"),
            ("Peking", "Beijing"),
            ("Nanking", "Nanjing"),
            ("Canton", "Guangzhou"),
            ("Mukden", "Shenyang"),
            ("Tsingtao", "Qingdao"),
            ("Amoy", "Xiamen"),
            ("Sian", "Xi'an"),
            ("Chungking", "Chongqing"),
        ] {
            assert!(
                same(a, b).is_some(),
                "{a} = {b}: {:?} / {:?}",
                readings(a),
                readings(b)
            );
        }
    }

    #[test]
    fn apostrophe_matters_but_its_loss_is_forgiven() {
        // ch'ou is chou, chou is zhou; "chou" without apostrophe may be either.
        assert_eq!(same("Ch'ou", "Zhou"), None);
        assert!(same("Ch'ou", "Chou").is_some());
        assert!(same("Chou", "Zhou").is_some());
        assert_eq!(same("Mao Zedong", "Mao Tse-tang"), None);
        assert_eq!(same("Zhou Enlai", "Zhu De"), None);
        assert_eq!(same("Peking", "Nanking"), None);
    }

    #[test]
    fn reports_the_systems() {
        assert_eq!(
            same("Mao Tse-tung", "Mao Zedong"),
            Some((System::WadeGiles, System::Pinyin))
        );
        assert_eq!(
            same("Kao Kang", "Gao Gang"),
            Some((System::WadeGiles, System::Pinyin))
        );
        assert_eq!(
            same("Peking", "Beijing"),
            Some((System::Postal, System::Pinyin))
        );
        for (w, s) in [
            ("Mao Tse-tung", Some(System::WadeGiles)),
            ("P'eng Te-huai", Some(System::WadeGiles)),
            ("Mao Zedong", Some(System::Pinyin)),
            ("Zhou Enlai", Some(System::Pinyin)),
            ("Peking", Some(System::Postal)),
            ("Mao", None),
            ("Stalin", None),
            ("Dang", None),
            ("Zhou", Some(System::Pinyin)),
            ("Gao Gang", Some(System::Pinyin)),
        ] {
            assert_eq!(guess(w), s, "{w}");
        }
    }

    #[test]
    fn non_chinese_words_have_no_reading() {
        for w in [
            "Stalin",
            "Moscow",
            "Kremlin",
            "Evgueni",
            "Sŏul",
            "Washington",
        ] {
            assert!(readings(w).is_empty(), "{w}: {:?}", readings(w));
        }
    }
}
