//! Forms as people fill them in: the domain's types read from form fields (full-width digits
//! fine), what a form held when it was sent ([`Typed`], which the `Filled` guard reads), and
//! the fields drawn with their value, their mark and their message when the form comes back.

use std::collections::HashMap;

use maud::{html, Markup, Render};
use rocket::form::{self, FromFormField, ValueField};
use rocket::http::Status;

use super::context::Page;
use crate::domain::child_wishes::Grade;
use crate::domain::error::{DomainError, Invalid};
use crate::domain::isbn::Isbn;
use crate::domain::language::Language;
use crate::domain::quantity::Quantity;
use crate::domain::typed::plain;

/// A whole number as typed: `８０` from a Chinese keyboard is 80.
fn whole<'v>(field: &ValueField<'v>) -> Result<i64, form::Errors<'v>> {
    plain(field.value)
        .trim()
        .parse::<i64>()
        .map_err(|_| form::Error::validation("must be a whole number").into())
}

/// A number the domain checks itself (a school's student count), read as [`whole`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole(pub i64);

#[rocket::async_trait]
impl<'v> FromFormField<'v> for Whole {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        Ok(Whole(whole(&field)?))
    }
}

#[rocket::async_trait]
impl<'v> FromFormField<'v> for Quantity {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        Quantity::new(whole(&field)?).map_err(|e| form::Error::validation(e.to_string()).into())
    }
}

#[rocket::async_trait]
impl<'v> FromFormField<'v> for Grade {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        Grade::new(whole(&field)?).map_err(|e| form::Error::validation(e.message).into())
    }
}

/// The rule an ISBN field broke when only its last digit is wrong: the page says so in
/// its own words (one digit to check, not the whole code).
const CHECK_DIGIT: &str = "the ISBN's check digit does not match";

#[rocket::async_trait]
impl<'v> FromFormField<'v> for Isbn {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        Isbn::parse(field.value).map_err(|e| {
            let rule = if e.is_check_digit() {
                CHECK_DIGIT.to_owned()
            } else {
                e.to_string()
            };
            form::Error::validation(rule).into()
        })
    }
}

/// A query parameter as a page reads it: absent (or left empty), a value of its type, or
/// what was wrong with it, so the page can say so instead of the request failing unread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given<T> {
    /// Not in the query, or empty (a scan box sent without a scan).
    Absent,
    /// Read as its type.
    Valid(T),
    /// Sent, but not a `T`: the rule it broke.
    Invalid(String),
}

impl<T> Given<T> {
    /// `None` when absent, the value when valid, the refusal (naming `field`) otherwise.
    pub fn read(self, field: &'static str) -> Result<Option<T>, DomainError> {
        match self {
            Given::Absent => Ok(None),
            Given::Valid(value) => Ok(Some(value)),
            Given::Invalid(rule) => Err(Invalid::new(field, rule).into()),
        }
    }
}

#[rocket::async_trait]
impl<'v, T: FromFormField<'v> + Send> FromFormField<'v> for Given<T> {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        if field.value.trim().is_empty() {
            return Ok(Given::Absent);
        }
        Ok(match T::from_value(field) {
            Ok(value) => Given::Valid(value),
            Err(errors) => Given::Invalid(errors.to_string()),
        })
    }

    fn default() -> Option<Self> {
        Some(Given::Absent)
    }
}

/// A page of a list, from 1 (`?page=3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(pub u64);

#[rocket::async_trait]
impl<'v> FromFormField<'v> for PageNumber {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        match whole(&field)? {
            n if n >= 1 => Ok(PageNumber(n.unsigned_abs())),
            _ => Err(form::Error::validation("a page is numbered from 1").into()),
        }
    }
}

impl Given<PageNumber> {
    /// The page asked for (1 when absent), refused past `last`.
    pub fn at_most(self, last: u64) -> Result<u64, DomainError> {
        match self.read("page")? {
            None => Ok(1),
            Some(PageNumber(n)) if n <= last => Ok(n),
            Some(_) => Err(Invalid::new("page", "there is no such page").into()),
        }
    }
}

/// A page of this site to go on to (`?next=`, a form's `back`): a path on this host. Another
/// site's address is refused, so an `Option<LocalPath>` reads it as absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(pub String);

#[rocket::async_trait]
impl<'v> FromFormField<'v> for LocalPath {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        match super::local(Some(field.value), "") {
            path if path.is_empty() => {
                Err(form::Error::validation("must be a page of this site").into())
            }
            path => Ok(LocalPath(path)),
        }
    }
}

impl LocalPath {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The pages' language as a link chooses it: `en` or `zh`.
#[rocket::async_trait]
impl<'v> FromFormField<'v> for Language {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        Language::parse(field.value)
            .ok_or_else(|| form::Error::validation("must be en or zh").into())
    }
}

/// What a form held when it was sent, and what was wrong with which field: enough to draw
/// it again as it was, with the field marked and the message beside it.
#[derive(Debug, Default, Clone)]
pub struct Typed {
    pub(super) values: HashMap<String, String>,
    /// Field name -> the rule it broke (in English; drawn in the page's language).
    pub(super) faults: HashMap<String, String>,
    /// A refusal that names no field (a taken email, say), in the page's language.
    general: Option<String>,
}

impl Typed {
    /// A form shown for the first time: empty.
    pub fn fresh() -> Self {
        Typed::default()
    }

    /// A form shown for the first time with some fields filled in.
    pub fn prefilled<'a>(values: impl IntoIterator<Item = (&'a str, String)>) -> Self {
        Typed {
            values: values.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
            ..Typed::default()
        }
    }

    /// What was typed in `name` (empty if nothing).
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    /// Whether anything is wrong with the form.
    pub fn refused(&self) -> bool {
        !self.faults.is_empty() || self.general.is_some()
    }

    /// The message for `name`, in the page's language, if it is at fault.
    pub fn fault(&self, p: &Page, name: &str) -> Option<String> {
        self.faults.get(name).map(|english| {
            if english.ends_with(CHECK_DIGIT) {
                t!(p, "bad_check_digit")
            } else {
                super::errors::field_message(p.lang, name, english)
            }
        })
    }

    /// The first thing wrong with the form, in the page's language (for a form small enough
    /// to answer with a message instead of drawing it again: a quantity box in a list).
    pub fn first_fault(&self, p: &Page) -> String {
        if let Some(general) = &self.general {
            return general.clone();
        }
        let mut names: Vec<&String> = self.faults.keys().collect();
        names.sort();
        names
            .first()
            .and_then(|name| self.fault(p, name))
            .unwrap_or_else(|| t!(p, "err_page_refused"))
    }

    /// The refusal that names no field, if any.
    pub fn general(&self) -> Option<&str> {
        self.general.as_deref()
    }

    /// The same form refused for `err`: a field's error is put beside that field (if the form
    /// has it), anything else above the form.
    pub fn refused_for(mut self, p: &Page, err: &DomainError) -> Self {
        match err {
            DomainError::Invalid(invalid) if self.has_field(invalid.field) => {
                self.faults
                    .insert(invalid.field.to_owned(), invalid.message.clone());
            }
            // A wrong ISBN among several typed in one field (a box's list).
            DomainError::InvalidIsbn(wrong, field) if self.has_field(field) => {
                self.faults.insert((*field).to_owned(), wrong.to_string());
            }
            _ => self.general = Some(super::explain(p, err)),
        }
        self
    }

    fn has_field(&self, name: &str) -> bool {
        // A wish card's book is chosen by two fields together.
        self.values.contains_key(name) || name == "book_choice"
    }

    /// Notes something about the form that was not a field of it (a photo was chosen).
    pub fn remember(&mut self, name: &str, value: &str) {
        self.values.insert(name.to_owned(), value.to_owned());
    }
}

/// One field of a form, drawn with its label, what was typed, and (when the form came back)
/// `aria-invalid` and the message right under it.
pub struct Field<'a> {
    p: &'a Page,
    typed: &'a Typed,
    name: &'a str,
    /// The element's id, when the page has several forms with this field (the name otherwise).
    id: Option<String>,
    label: String,
    kind: &'a str,
    required: bool,
    inputmode: Option<&'a str>,
    maxlength: Option<u32>,
    autocomplete: Option<&'a str>,
    hint: Option<String>,
}

impl<'a> Field<'a> {
    /// A text field `name` labelled `label`.
    pub fn new(p: &'a Page, typed: &'a Typed, name: &'a str, label: String) -> Self {
        Field {
            p,
            typed,
            name,
            id: None,
            label,
            kind: "text",
            required: false,
            inputmode: None,
            maxlength: None,
            autocomplete: None,
            hint: None,
        }
    }

    /// An id of its own, for a page with several forms holding this field.
    pub fn id(mut self, id: String) -> Self {
        self.id = Some(id);
        self
    }

    /// The input's `type` (`tel`, `email`, `number`, ...), or `textarea` for several lines.
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }

    /// The browser asks for it before sending.
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The phone keyboard to show (`numeric`, `tel`).
    pub fn inputmode(mut self, mode: &'a str) -> Self {
        self.inputmode = Some(mode);
        self
    }

    /// At most this many characters.
    pub fn maxlength(mut self, n: u32) -> Self {
        self.maxlength = Some(n);
        self
    }

    /// What the browser may fill in (`username`, `tel`, ...).
    pub fn autocomplete(mut self, what: &'a str) -> Self {
        self.autocomplete = Some(what);
        self
    }

    /// A line under the field saying what goes in it.
    pub fn hint(mut self, hint: String) -> Self {
        self.hint = Some(hint);
        self
    }
}

impl Render for Field<'_> {
    fn render(&self) -> Markup {
        let fault = self.typed.fault(self.p, self.name);
        let id = self.id.as_deref().unwrap_or(self.name);
        let hint_id = format!("{id}-hint");
        let error_id = format!("{id}-error");
        let described = match (&self.hint, &fault) {
            (Some(_), Some(_)) => Some(format!("{error_id} {hint_id}")),
            (Some(_), None) => Some(hint_id.clone()),
            (None, Some(_)) => Some(error_id.clone()),
            (None, None) => None,
        };
        html! {
            div.field.faulty[fault.is_some()] {
                label for=(id) { (self.label) }
                @if self.kind == "textarea" {
                    textarea id=(id) name=(self.name) rows="8"
                        required[self.required] inputmode=[self.inputmode] maxlength=[self.maxlength]
                        autocomplete=[self.autocomplete] aria-invalid=[fault.as_ref().map(|_| "true")]
                        aria-describedby=[described] { (self.typed.value(self.name)) }
                } @else {
                    input id=(id) type=(self.kind) name=(self.name) value=(self.typed.value(self.name))
                        required[self.required] inputmode=[self.inputmode] maxlength=[self.maxlength]
                        autocomplete=[self.autocomplete] aria-invalid=[fault.as_ref().map(|_| "true")]
                        aria-describedby=[described];
                }
                @if let Some(message) = &fault { p.field-error id=(error_id) { (message) } }
                @if let Some(hint) = &self.hint { small id=(hint_id) { (hint) } }
            }
        }
    }
}

/// The message above a form that came back for a reason no field carries.
pub fn general_fault(typed: &Typed) -> Markup {
    html! {
        @if let Some(message) = typed.general() { p.flash.error role="alert" { (message) } }
    }
}

/// A page's answer to a form: on to the next page, or the same form again with what was
/// typed (422, or the refusal's own status).
#[derive(rocket::Responder)]
#[expect(
    clippy::large_enum_variant,
    reason = "one answer per request, moved once into the response"
)]
pub enum Answer {
    /// Done (or refused for a reason the form cannot show): to another page, with a message.
    Moved(rocket::response::Flash<rocket::response::Redirect>),
    /// The form again, as it was sent, with the fault marked.
    Again((Status, Markup)),
    /// The page behind the form could not be drawn.
    Failed(super::errors::PageError),
}

#[cfg(test)]
mod tests {
    use rocket::form::Form;

    use super::*;

    #[derive(Debug, rocket::FromForm)]
    struct Counts {
        quantity: Quantity,
        students: Whole,
        grade: Grade,
    }

    #[derive(Debug, rocket::FromForm)]
    struct Scan {
        isbn: Given<Isbn>,
        page: Given<PageNumber>,
    }

    #[test]
    fn a_query_says_what_was_wrong_instead_of_failing_unread() {
        let scan: Scan = Form::parse("isbn=９７８００６０７７５８５８&page=2").unwrap();
        assert_eq!(
            scan.isbn.read("isbn").unwrap().unwrap().as_str(),
            "9780060775858"
        );
        assert_eq!(scan.page.at_most(10).unwrap(), 2);
        let empty: Scan = Form::parse("isbn=").unwrap();
        assert_eq!(empty.isbn, Given::Absent, "an empty scan box is no scan");
        assert_eq!(empty.page.at_most(10).unwrap(), 1);
        let wrong: Scan = Form::parse("isbn=9780060775859&page=11").unwrap();
        assert!(matches!(&wrong.isbn, Given::Invalid(rule) if rule.contains("check digit")));
        assert!(wrong.page.at_most(10).is_err());
        let zero: Scan = Form::parse("page=0").unwrap();
        assert!(zero.page.at_most(10).is_err());
    }

    #[test]
    fn numbers_typed_on_a_chinese_keyboard_read_as_numbers() {
        let form: Counts = Form::parse("quantity=３&students=８０&grade=４")
            .expect("full-width digits are digits");
        assert_eq!(form.quantity.get(), 3);
        assert_eq!(form.students, Whole(80));
        assert_eq!(form.grade, Grade::new(4).expect("a grade"));
        assert!(Form::<Counts>::parse("quantity=0&students=80&grade=4").is_err());
        assert!(Form::<Counts>::parse("quantity=3&students=80&grade=10").is_err());
        assert!(Form::<Counts>::parse("quantity=3&students=eighty&grade=4").is_err());
    }

    #[derive(Debug, rocket::FromForm)]
    struct Prefs {
        lang: Option<Language>,
        next: Option<LocalPath>,
    }

    #[test]
    fn a_link_goes_on_only_within_this_site() {
        let home: Prefs = Form::parse("lang=zh&next=/schools/1?page=2").unwrap();
        assert_eq!(home.lang, Some(Language::Zh));
        assert_eq!(home.next, Some(LocalPath("/schools/1?page=2".into())));
        for elsewhere in [
            "next=https://evil.example/",
            "next=//evil.example",
            "next=/\\evil.example",
            "next=schools",
        ] {
            let prefs: Prefs = Form::parse(elsewhere).unwrap();
            assert_eq!(prefs.next, None, "{elsewhere} is not a page of this site");
        }
        let klingon: Prefs = Form::parse("lang=tlh").unwrap();
        assert_eq!(klingon.lang, None);
    }
}
