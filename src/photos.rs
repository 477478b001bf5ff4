//! Photos of children's wish cards and thanks cards, kept on disk.
//!
//! Every upload is decoded and written again as a fresh JPEG: what a phone put in the file
//! beside the picture (EXIF: where and when it was taken, the phone's make) is never kept.
//! The picture is turned upright by its EXIF orientation first and made no larger than a
//! screen needs. Files get random names; nothing about the school or the child is in them.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use rand_core::{OsRng, RngCore};

/// Largest upload read, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// Longest side of a kept photo, in pixels.
pub const MAX_SIDE: u32 = 1600;
/// Largest picture decoded at all, in pixels a side (a bigger one is refused, not shrunk).
const MAX_DECODED_SIDE: u32 = 12_000;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// Not a JPEG or PNG picture we can read (or too big to decode).
    #[error("the photo must be a JPEG or PNG picture of at most 8 MB and 12,000 pixels a side")]
    Unreadable,
    /// The disk refused.
    #[error("cannot keep the photo: {0}")]
    Disk(#[from] std::io::Error),
}

/// The folder photos are kept in.
#[derive(Debug, Clone)]
pub struct Photos {
    dir: PathBuf,
}

impl Photos {
    /// Photos in `dir` (made on first save).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Photos { dir: dir.into() }
    }

    /// Re-encodes an upload and keeps it; returns its file name. Blocking: call it off the
    /// async workers.
    pub fn save(&self, upload: &[u8]) -> Result<String, PhotoError> {
        let jpeg = reencode(upload)?;
        std::fs::create_dir_all(&self.dir)?;
        let mut random = [0u8; 16];
        OsRng.fill_bytes(&mut random);
        let name = format!("{}.jpg", hex::encode(random));
        let path = self.dir.join(&name);
        let partial = self.dir.join(format!("{name}.partial"));
        std::fs::write(&partial, jpeg)?;
        std::fs::rename(partial, &path)?;
        Ok(name)
    }

    /// A kept photo's bytes; `None` when there is no such file.
    pub fn read(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path(name)?).ok()
    }

    /// Deletes kept photos (missing ones are fine: the work is idempotent).
    pub fn remove(&self, names: &[String]) {
        for name in names {
            if let Some(path) = self.path(name) {
                if let Err(err) = std::fs::remove_file(&path) {
                    if err.kind() != std::io::ErrorKind::NotFound {
                        log::warn!("cannot delete photo {}: {err}", path.display());
                    }
                }
            }
        }
    }

    /// The path of a name this module made (32 hex digits and `.jpg`), never anything else.
    fn path(&self, name: &str) -> Option<PathBuf> {
        let stem = name.strip_suffix(".jpg")?;
        (stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| self.dir.join(name))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// A kept photo as an answer (the API's and the pages' alike): JPEG, and never stored by a
/// shared cache, since it may show a child.
pub struct PhotoAnswer(pub Vec<u8>);

impl<'r> rocket::response::Responder<'r, 'static> for PhotoAnswer {
    fn respond_to(self, request: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        let mut response = self.0.respond_to(request)?;
        response.set_header(rocket::http::ContentType::JPEG);
        response.set_raw_header("Cache-Control", "private, no-store");
        Ok(response)
    }
}

/// Decodes a JPEG or PNG within limits, turns it upright, shrinks it to [`MAX_SIDE`] and
/// writes it as a new JPEG with nothing but the picture in it.
pub fn reencode(upload: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::Unreadable);
    }
    let mut reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| PhotoError::Unreadable)?;
    if !matches!(
        reader.format(),
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png)
    ) {
        return Err(PhotoError::Unreadable);
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Unreadable)?;
    let orientation = decoder.orientation().map_err(|_| PhotoError::Unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Unreadable)?;
    picture.apply_orientation(orientation);
    if picture.width() > MAX_SIDE || picture.height() > MAX_SIDE {
        picture = picture.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Triangle);
    }
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
    picture
        .to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG as a phone makes it: the picture plus an EXIF block with a GPS position.
    pub fn jpeg_with_exif() -> Vec<u8> {
        let picture = image::RgbImage::from_pixel(40, 30, image::Rgb([200, 120, 40]));
        let mut plain = Vec::new();
        picture
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut plain))
            .unwrap();
        let payload = b"Exif\0\0MM\0*GPSLatitude 22.5N Lancang";
        let mut app1 = vec![0xFF, 0xE1];
        app1.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        app1.extend_from_slice(payload);
        let mut file = plain[..2].to_vec();
        file.extend_from_slice(&app1);
        file.extend_from_slice(&plain[2..]);
        file
    }

    #[test]
    fn a_photo_is_written_again_without_its_exif() {
        let upload = jpeg_with_exif();
        assert!(upload.windows(4).any(|w| w == b"Exif"));
        let kept = reencode(&upload).unwrap();
        assert!(!kept.windows(4).any(|w| w == b"Exif"));
        assert!(!kept.windows(7).any(|w| w == b"Lancang"));
        let back = image::load_from_memory(&kept).unwrap();
        assert_eq!((back.width(), back.height()), (40, 30));
    }

    #[test]
    fn big_photos_shrink_and_other_files_are_refused() {
        let big = image::RgbImage::from_pixel(3200, 100, image::Rgb([0, 0, 0]));
        let mut png = Vec::new();
        big.write_with_encoder(image::codecs::png::PngEncoder::new(&mut png))
            .unwrap();
        let kept = image::load_from_memory(&reencode(&png).unwrap()).unwrap();
        assert_eq!(kept.width(), MAX_SIDE);
        assert!(matches!(
            reencode(b"GIF89a not really"),
            Err(PhotoError::Unreadable)
        ));
        assert!(matches!(reencode(b"%PDF-1.4"), Err(PhotoError::Unreadable)));
        assert!(matches!(
            reencode(&[0xFF, 0xD8, 0xFF, 0x00]),
            Err(PhotoError::Unreadable)
        ));
    }

    #[test]
    fn only_names_it_made_reach_the_disk() {
        let photos = Photos::new("/tmp/nowhere");
        assert!(photos.path("../etc/passwd").is_none());
        assert!(photos
            .path("0123456789abcdef0123456789abcdef.jpg")
            .is_some());
        assert!(photos
            .path("0123456789abcdef0123456789abcdef.png")
            .is_none());
    }
}
