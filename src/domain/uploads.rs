//! What an uploaded file may be at most, checked before it is decoded: bytes, the size a
//! spreadsheet unzips to, its rows and columns, a picture's pixels. Each refusal names the cap
//! it met, so a person (in either language) and a program both know what to change.

/// Largest book-list file (CSV or .xlsx), in bytes: 10,000 rows are about 400 KB as CSV.
pub const MAX_BOOK_LIST_BYTES: u64 = 4 * 1024 * 1024;
/// Most books a book-list file may ask for (rows besides a header row).
pub const MAX_BOOK_LIST_ROWS: u32 = 10_000;
/// Most columns a book-list spreadsheet may use (A to Z); a book list needs three.
pub const MAX_SHEET_COLUMNS: u32 = 26;
/// What all the parts of a workbook may unzip to together, in bytes.
pub const MAX_UNZIPPED_BYTES: u64 = 32 * 1024 * 1024;
/// Most parts (files) in a workbook's zip; Excel writes about a dozen.
pub const MAX_ZIP_ENTRIES: usize = 200;
/// Most distinct texts a workbook may declare (its shared strings).
pub const MAX_SHARED_STRINGS: u64 = 200_000;
/// Largest photo upload, in bytes.
pub const MAX_PHOTO_BYTES: u64 = 8 * 1024 * 1024;
/// Most pixels of a JPEG photo: 48 megapixels, what the largest phone cameras take.
pub const MAX_JPEG_PIXELS: u64 = 48_000_000;
/// Most pixels of a PNG picture (phones take photos as JPEG; a PNG is a screenshot or a scan,
/// and is decoded whole, so its cap is lower).
pub const MAX_PNG_PIXELS: u64 = 12_000_000;
/// Most bytes a PNG may carry besides its picture (text, profiles, other chunks).
pub const MAX_PNG_EXTRA_BYTES: u64 = 64 * 1024;

/// Why an upload was refused before it was read, naming the cap it went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OverLimit {
    /// More bytes than the kind of file may have.
    #[error("the file is larger than {} MB", .max_bytes / (1024 * 1024))]
    Bytes {
        /// The cap.
        max_bytes: u64,
    },
    /// A workbook that unzips to more than the cap.
    #[error("the spreadsheet unpacks to more than {} MB", .max_bytes / (1024 * 1024))]
    Unzipped {
        /// The cap.
        max_bytes: u64,
    },
    /// A workbook of more parts than any spreadsheet program writes.
    #[error("the spreadsheet has more than {max} parts")]
    ZipEntries {
        /// The cap.
        max: usize,
    },
    /// A workbook declaring more texts than the cap.
    #[error("the spreadsheet has more than {max} different texts")]
    SharedStrings {
        /// The cap.
        max: u64,
    },
    /// More rows than a book list may have.
    #[error("the file has more than {max} rows; split it into several files")]
    Rows {
        /// The cap (a header row comes on top).
        max: u32,
    },
    /// A cell beyond the last column a book list may use.
    #[error("the spreadsheet uses more than {max} columns (A to Z)")]
    Columns {
        /// The cap.
        max: u32,
    },
    /// A picture carrying more than the cap besides the picture (text chunks and the like).
    #[error("the picture carries more than {} KB besides the picture", .max_bytes / 1024)]
    Extra {
        /// The cap.
        max_bytes: u64,
    },
    /// A picture with more pixels than its format's cap.
    #[error("the picture is {width} x {height} pixels; at most {} megapixels are taken", .max_pixels / 1_000_000)]
    Pixels {
        /// Its width as the file declares it.
        width: u32,
        /// Its height as the file declares it.
        height: u32,
        /// The cap.
        max_pixels: u64,
    },
}

impl OverLimit {
    /// The cap as one number, for programs (`limit` in the API's error body).
    pub fn limit(&self) -> u64 {
        match *self {
            OverLimit::Bytes { max_bytes }
            | OverLimit::Unzipped { max_bytes }
            | OverLimit::Extra { max_bytes } => max_bytes,
            OverLimit::ZipEntries { max } => max as u64,
            OverLimit::SharedStrings { max } => max,
            OverLimit::Rows { max } | OverLimit::Columns { max } => u64::from(max),
            OverLimit::Pixels { max_pixels, .. } => max_pixels,
        }
    }

    /// Whether the cap is on the bytes sent (answered 413), not on what they contain (422).
    pub fn is_about_bytes(&self) -> bool {
        matches!(self, OverLimit::Bytes { .. })
    }

    /// The refusal in Chinese, naming the same cap.
    pub fn in_chinese(&self) -> String {
        match *self {
            OverLimit::Bytes { max_bytes } => {
                format!("文件太大：最大 {} MB。", max_bytes / (1024 * 1024))
            }
            OverLimit::Unzipped { max_bytes } => format!(
                "表格解压后超过 {} MB，无法读取。请只保留书单那一页再上传。",
                max_bytes / (1024 * 1024)
            ),
            OverLimit::ZipEntries { max } => format!("表格包含超过 {max} 个部分，无法读取。"),
            OverLimit::SharedStrings { max } => {
                format!("表格里不同的文字超过 {max} 条，无法读取。")
            }
            OverLimit::Rows { max } => {
                format!("文件超过 {max} 行。请分成几个文件上传。")
            }
            OverLimit::Columns { max } => {
                format!("表格超过 {max} 列（A 到 Z）。书单只需要 ISBN、数量和备注三列。")
            }
            OverLimit::Extra { max_bytes } => {
                format!(
                    "图片里除了画面还带有超过 {} KB 的其他数据。",
                    max_bytes / 1024
                )
            }
            OverLimit::Pixels {
                width,
                height,
                max_pixels,
            } => format!(
                "图片是 {width} x {height} 像素，最多只接受 {} 百万像素。",
                max_pixels / 1_000_000
            ),
        }
    }
}

/// Whether a picture of `width` x `height` is within `max_pixels`.
pub fn check_pixels(width: u32, height: u32, max_pixels: u64) -> Result<(), OverLimit> {
    if u64::from(width) * u64::from(height) > max_pixels || width == 0 || height == 0 {
        return Err(OverLimit::Pixels {
            width,
            height,
            max_pixels,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_photo_passes_and_a_declared_giant_does_not() {
        // 12 MP (4000 x 3000) and 48 MP (8000 x 6000) phone photos.
        assert!(check_pixels(4000, 3000, MAX_JPEG_PIXELS).is_ok());
        assert!(check_pixels(8000, 6000, MAX_JPEG_PIXELS).is_ok());
        let giant = check_pixels(11_999, 11_999, MAX_JPEG_PIXELS).unwrap_err();
        assert_eq!(giant.limit(), MAX_JPEG_PIXELS);
        assert!(giant.to_string().contains("48 megapixels"), "{giant}");
        assert!(giant.in_chinese().contains("48"), "{}", giant.in_chinese());
        assert!(check_pixels(4000, 3001, MAX_PNG_PIXELS).is_err());
        assert!(check_pixels(0, 10, MAX_PNG_PIXELS).is_err());
    }

    #[test]
    fn each_refusal_names_its_cap_in_both_languages() {
        for (refusal, number) in [
            (OverLimit::Rows { max: 10_000 }, "10000"),
            (OverLimit::Columns { max: 26 }, "26"),
            (
                OverLimit::Unzipped {
                    max_bytes: 32 * 1024 * 1024,
                },
                "32",
            ),
            (
                OverLimit::Bytes {
                    max_bytes: 4 * 1024 * 1024,
                },
                "4",
            ),
        ] {
            assert!(refusal.to_string().contains(number), "{refusal}");
            assert!(refusal.in_chinese().contains(number), "{refusal:?}");
        }
        assert!(OverLimit::Bytes { max_bytes: 1 }.is_about_bytes());
        assert!(!OverLimit::Rows { max: 1 }.is_about_bytes());
    }
}
