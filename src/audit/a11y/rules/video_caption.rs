//! Videos have captions. WCAG 1.2.2 (Captions (Prerecorded)); sufficient technique H95
//! (`track` for captions). ACT rule eac66b needs the media played and is not claimed.
//!
//! A review item: a `<video>` with sound and no `<track kind="captions">` (or subtitles) may
//! still have open captions burnt into the picture, no speech, or be a media alternative for
//! text, which only watching it shows. Videos that are muted and have no controls
//! (background loops) are left alone.

use super::super::{Impact, Outcome, Rule, RuleInfo};

/// `<video>` without a captions track.
pub static VIDEO_CAPTION: Rule = Rule {
    info: RuleInfo {
        id: "video-caption",
        title: "Videos have a captions track",
        wcag: &["1.2.2"],
        act: &[],
        impact: Impact::Critical,
        advice: "Add <track kind=\"captions\" src=\"….vtt\" srclang=\"en\" label=\"English\"> inside the <video>, unless the captions are burnt into the picture.",
        best_practice: false,
    },
    check: |cx, out| {
        for &i in cx.tag("video") {
            let n = &cx.nodes[i];
            if n.not_rendered || (n.has("muted") && !n.has("controls")) {
                continue;
            }
            let captioned = cx.children(i).any(|c| {
                let t = &cx.nodes[c];
                t.tag == "track"
                    && t.attr("kind").is_none_or(|k| {
                        let k = k.trim().to_ascii_lowercase();
                        k.is_empty() || k == "captions" || k == "subtitles"
                    })
            });
            if !captioned {
                out.element(
                    cx,
                    i,
                    Outcome::CantTell,
                    "The video has no captions track: check that it has open captions, no speech, or is an alternative for text on the page",
                );
            }
        }
    },
};

#[cfg(test)]
mod tests {
    use super::super::testing::outcomes;
    use super::*;

    #[test]
    fn video_without_track_is_for_review() {
        assert_eq!(
            outcomes(&VIDEO_CAPTION, r#"<video src="a.mp4" controls></video>"#),
            (0, 1)
        );
        assert_eq!(
            outcomes(
                &VIDEO_CAPTION,
                r#"<video src="a.mp4" controls><track kind="captions" src="a.vtt" srclang="en"></video>"#
            ),
            (0, 0)
        );
        assert_eq!(
            outcomes(
                &VIDEO_CAPTION,
                r#"<video src="bg.mp4" autoplay muted loop></video>"#
            ),
            (0, 0)
        );
    }
}
