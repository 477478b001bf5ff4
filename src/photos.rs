//! Photos of children's wish cards and thanks cards, made ready to keep (in the database).
//!
//! Every upload is decoded and written again as a fresh JPEG: what a phone put in the file
//! beside the picture (EXIF: where and when it was taken, the phone's make) is never kept.
//! The picture is turned upright by its EXIF orientation first and made no larger than a
//! screen needs. Files get random names; nothing about the school or the child is in them.

use std::io::Cursor;
use std::sync::Arc;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use rand_core::{OsRng, RngCore};

use crate::domain::uploads::{
    check_pixels, OverLimit, MAX_JPEG_PIXELS, MAX_PHOTO_BYTES, MAX_PNG_EXTRA_BYTES, MAX_PNG_PIXELS,
};

/// Largest upload read, in bytes.
pub const MAX_UPLOAD_BYTES: usize = MAX_PHOTO_BYTES as usize;
/// Longest side of a kept photo, in pixels.
pub const MAX_SIDE: u32 = 1600;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    /// Not a JPEG or PNG picture we can read.
    #[error("the photo must be a JPEG or PNG picture of at most 8 MB")]
    Unreadable,
    /// Past a cap: bytes, or pixels as the file declares them (checked before decoding).
    #[error(transparent)]
    OverLimit(#[from] OverLimit),
}

/// Makes uploads into kept photos, one decode per core at a time. (The bytes are kept in
/// the database, by the use case, in the transaction that names them.)
#[derive(Debug, Clone)]
pub struct Photos {
    /// Turns to decode an upload (a picture, and a book-list file too): one per core, so
    /// eight uploads at once hold two decoded files in memory, not eight, and the rest wait.
    decoding: Arc<tokio::sync::Semaphore>,
}

impl Default for Photos {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Photos {
            decoding: Arc::new(tokio::sync::Semaphore::new(cores)),
        }
    }
}

impl Photos {
    /// Waits for a turn to decode; decode (call [`Photos::prepare`]) while holding it.
    pub async fn turn(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.decoding.clone().acquire_owned().await.ok()
    }

    /// Re-encodes an upload and names it: a random name (nothing about the school or the
    /// child in it) and the bytes to keep. Blocking: call it off the async workers.
    pub fn prepare(&self, upload: &[u8]) -> Result<(String, Vec<u8>), PhotoError> {
        let jpeg = reencode(upload)?;
        let mut random = [0u8; 16];
        OsRng.fill_bytes(&mut random);
        Ok((format!("{}.jpg", hex::encode(random)), jpeg))
    }
}

/// Whether `name` is one this module makes (32 hex digits and `.jpg`): what an older version
/// kept as files under `photo_dir`, and nothing else, is moved into the database.
pub fn is_photo_name(name: &str) -> bool {
    name.strip_suffix(".jpg")
        .is_some_and(|stem| stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit()))
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

/// Decodes a JPEG or PNG within limits, shrinks it to [`MAX_SIDE`], turns it upright and
/// writes it as a new JPEG with nothing but the picture in it. The size the file declares is
/// checked before any pixel is decoded.
pub fn reencode(upload: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if upload.len() > MAX_UPLOAD_BYTES {
        return Err(OverLimit::Bytes {
            max_bytes: MAX_PHOTO_BYTES,
        }
        .into());
    }
    let (picture, orientation) = match image::guess_format(upload) {
        Ok(ImageFormat::Jpeg) => decode_jpeg(upload)?,
        Ok(ImageFormat::Png) => decode_png(upload)?,
        _ => return Err(PhotoError::Unreadable),
    };
    let mut picture = if picture.width() > MAX_SIDE || picture.height() > MAX_SIDE {
        // Area averaging: no full-size floating-point copy, as a filtered resize makes.
        picture.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        picture
    };
    // After shrinking (into a square, so the turn does not change the fit): a turn copies.
    picture.apply_orientation(orientation);
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82);
    picture
        .to_rgb8()
        .write_with_encoder(encoder)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(out)
}

/// A JPEG decoded straight to the smallest size the decoder can make (1/1, 1/2, 1/4 or 1/8)
/// whose longer side still reaches [`MAX_SIDE`]: a 48 MP photo is decoded as 3 MP.
fn decode_jpeg(upload: &[u8]) -> Result<(DynamicImage, Orientation), PhotoError> {
    use jpeg_decoder::PixelFormat;
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(upload));
    decoder.read_info().map_err(|_| PhotoError::Unreadable)?;
    let info = decoder.info().ok_or(PhotoError::Unreadable)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_pixels(width, height, MAX_JPEG_PIXELS)?;
    let longer = width.max(height);
    if longer > MAX_SIDE {
        let at_least = |side: u32| {
            u16::try_from((u64::from(side) * u64::from(MAX_SIDE)).div_ceil(u64::from(longer)))
                .unwrap_or(u16::MAX)
                .max(1)
        };
        decoder
            .scale(at_least(width), at_least(height))
            .map_err(|_| PhotoError::Unreadable)?;
    }
    let pixels = decoder.decode().map_err(|_| PhotoError::Unreadable)?;
    let info = decoder.info().ok_or(PhotoError::Unreadable)?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let picture = match info.pixel_format {
        PixelFormat::L8 => image::GrayImage::from_raw(w, h, pixels).map(DynamicImage::from),
        PixelFormat::RGB24 => image::RgbImage::from_raw(w, h, pixels).map(DynamicImage::from),
        PixelFormat::CMYK32 => {
            image::RgbImage::from_raw(w, h, cmyk_to_rgb(&pixels)).map(DynamicImage::from)
        }
        PixelFormat::L16 => None,
    }
    .ok_or(PhotoError::Unreadable)?;
    let orientation = decoder
        .exif_data()
        .and_then(Orientation::from_exif_chunk)
        .unwrap_or(Orientation::NoTransforms);
    Ok((picture, orientation))
}

/// CMYK as the JPEG decoder gives it to RGB (as the image crate converted it when it
/// decoded with this decoder).
fn cmyk_to_rgb(cmyk: &[u8]) -> Vec<u8> {
    cmyk.chunks_exact(4)
        .flat_map(|p| {
            let k = 255 - u16::from(p[3]);
            [0, 1, 2].map(|i| u8::try_from((255 - u16::from(p[i])) * k / 255).unwrap_or(0))
        })
        .collect()
}

/// Walks a PNG's chunks (length, type, data, CRC) without decoding any: all but the picture
/// (IDAT) and the header and end together within [`MAX_PNG_EXTRA_BYTES`], so a compressed
/// text chunk that would inflate to gigabytes is refused unread.
fn check_png_extras(upload: &[u8]) -> Result<(), PhotoError> {
    let mut at = 8; // the signature
    let mut extra: u64 = 0;
    while let Some(header) = upload.get(at..at + 8) {
        let length = u64::from(u32::from_be_bytes([
            header[0], header[1], header[2], header[3],
        ]));
        if !matches!(&header[4..8], b"IDAT" | b"IHDR" | b"IEND" | b"PLTE") {
            extra += length;
            if extra > MAX_PNG_EXTRA_BYTES {
                return Err(OverLimit::Extra {
                    max_bytes: MAX_PNG_EXTRA_BYTES,
                }
                .into());
            }
        }
        at = at
            .saturating_add(12)
            .saturating_add(usize::try_from(length).unwrap_or(usize::MAX));
    }
    Ok(())
}

/// A PNG, whole (PNG has no smaller decode), after its declared size passed the PNG cap.
fn decode_png(upload: &[u8]) -> Result<(DynamicImage, Orientation), PhotoError> {
    check_png_extras(upload)?;
    let mut reader = ImageReader::with_format(Cursor::new(upload), ImageFormat::Png);
    let mut limits = Limits::default();
    // 16-bit RGBA at the pixel cap is the most a PNG within it needs.
    limits.max_alloc = Some(MAX_PNG_PIXELS * 8 + 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| PhotoError::Unreadable)?;
    let (width, height) = decoder.dimensions();
    check_pixels(width, height, MAX_PNG_PIXELS)?;
    let orientation = decoder.orientation().map_err(|_| PhotoError::Unreadable)?;
    let picture = DynamicImage::from_decoder(decoder).map_err(|_| PhotoError::Unreadable)?;
    Ok((picture, orientation))
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
    fn only_names_it_made_are_taken_in() {
        assert!(!is_photo_name("../etc/passwd"));
        assert!(is_photo_name("0123456789abcdef0123456789abcdef.jpg"));
        assert!(!is_photo_name("0123456789abcdef0123456789abcdef.png"));
        let (name, bytes) = Photos::default().prepare(&jpeg_with_exif()).unwrap();
        assert!(is_photo_name(&name), "{name}");
        assert!(image::load_from_memory(&bytes).is_ok());
    }
}
