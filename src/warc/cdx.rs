//! CDX indexes: one line per capture, saying which WARC file holds it and at which offset, so a
//! large archive need not be scanned. The legend line names the fields (`CDX N b a m s k r M S V
//! g` is the 11-field form the Internet Archive writes; the older 9-field `CDX N b a m s k r V g`
//! has no record length); a file without a legend is read as the 11-field form. The fields used:
//! `a` original URL, `b` date, `s` status, `V` offset, `S` record length (optional), `g` file name
//! (<https://iipc.github.io/warc-specifications/specifications/cdx-format/cdx-2015/>).

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use url::Url;

/// One capture listed in a CDX file.
#[derive(Debug, Clone, PartialEq)]
pub struct CdxLine {
    /// The URL captured.
    pub url: Url,
    /// When.
    pub date: Timestamp,
    /// The WARC file (as the index names it; resolve it against the index's folder).
    pub file: String,
    /// Where the record's gzip member (or record) starts.
    pub offset: u64,
    /// The line's number in the index, for messages.
    pub line: usize,
}

/// A line of an index that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", file.display())]
pub struct CdxError {
    /// The index.
    pub file: PathBuf,
    /// The line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

const DEFAULT_LEGEND: &str = "N b a m s k r M S V g";

/// Reads an index's text (`source` names it in errors). Lines for records without a location
/// (`-` offsets) are skipped; every other unusable line is an error naming its number.
pub fn parse(text: &str, source: &Path) -> Result<Vec<CdxLine>, CdxError> {
    let err = |line: usize, message: String| CdxError {
        file: source.to_path_buf(),
        line,
        message,
    };
    let mut legend: Vec<String> = DEFAULT_LEGEND.split(' ').map(str::to_string).collect();
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if i == 0
            && let Some(rest) = line.trim_start().strip_prefix("CDX")
        {
            legend = rest.split_whitespace().map(str::to_string).collect();
            continue;
        }
        let fields: Vec<&str> = line.split(' ').filter(|f| !f.is_empty()).collect();
        if fields.len() != legend.len() {
            return Err(err(
                n,
                format!(
                    "{} fields where the legend `CDX {}` has {}",
                    fields.len(),
                    legend.join(" "),
                    legend.len()
                ),
            ));
        }
        let field = |letter: &str| -> Option<&str> {
            legend.iter().position(|l| l == letter).map(|i| fields[i])
        };
        let need = |letter: &str, what: &str| {
            field(letter).ok_or_else(|| err(n, format!("the legend has no `{letter}` ({what})")))
        };
        let offset = need("V", "offset")?;
        if offset == "-" {
            continue;
        }
        let offset = offset
            .parse()
            .map_err(|_| err(n, format!("offset `{offset}` is not a number")))?;
        let url_text = need("a", "original URL")?;
        let url = Url::parse(url_text)
            .map_err(|e| err(n, format!("URL `{url_text}` cannot be read: {e}")))?;
        let date_text = need("b", "date")?;
        let date = super::record::parse_date(date_text)
            .ok_or_else(|| err(n, format!("date `{date_text}` is not YYYYMMDDhhmmss")))?;
        let file = need("g", "file name")?.to_string();
        out.push(CdxLine {
            url,
            date,
            file,
            offset,
            line: n,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_11_field_form_and_names_bad_lines() {
        let text = " CDX N b a m s k r M S V g\n\
            uk,gov,council)/ 20190504030201 http://www.council.gov.uk/ text/html 200 AAAA - - 812 0 c.warc.gz\n\
            uk,gov,council)/bins 20190504030202 http://www.council.gov.uk/bins text/html 200 BBBB - - 900 812 c.warc.gz\n";
        let lines = parse(text, Path::new("i.cdx")).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].url.as_str(), "http://www.council.gov.uk/bins");
        assert_eq!(
            (lines[1].offset, lines[1].file.as_str()),
            (812, "c.warc.gz")
        );
        let bad = format!("{text}uk,gov,council)/x 2019 http://x/ text/html 200\n");
        let e = parse(&bad, Path::new("i.cdx")).unwrap_err().to_string();
        assert_eq!(
            e,
            "i.cdx:4: 5 fields where the legend `CDX N b a m s k r M S V g` has 11"
        );
    }

    #[test]
    fn a_nine_field_index_and_one_without_a_legend_read_too() {
        let nine = " CDX N b a m s k r V g\nx)/ 20200101000000 http://x.test/ text/html 200 K - 77 f.warc.gz\n";
        assert_eq!(parse(nine, Path::new("n.cdx")).unwrap()[0].offset, 77);
        let bare = "x)/ 20200101000000 http://x.test/ text/html 200 K - - 10 5 f.warc.gz\n";
        assert_eq!(parse(bare, Path::new("b.cdx")).unwrap()[0].offset, 5);
    }
}
