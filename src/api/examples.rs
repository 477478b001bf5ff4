//! An example for every request body and every answer in the OpenAPI document, so a reader
//! (and a client generator) sees each one filled in. Attached by the name of the schema a
//! body or answer refers to; errors get one per status. A test checks each against its schema.

use serde_json::{json, Value};

/// Fills in `example` on every body and answer that has none.
pub(super) fn attach(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for operation in operations.values_mut() {
            if let Some(body) = operation
                .pointer_mut("/requestBody/content")
                .and_then(Value::as_object_mut)
            {
                for (kind, content) in body.iter_mut() {
                    let example = request(kind, content);
                    fill(content, example);
                }
            }
            if let Some(answers) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            {
                for (status, answer) in answers.iter_mut() {
                    let Some(contents) = answer.get_mut("content").and_then(Value::as_object_mut)
                    else {
                        continue;
                    };
                    for (kind, content) in contents.iter_mut() {
                        let example = response(path, status, kind, content);
                        fill(content, example);
                    }
                }
            }
        }
    }
}

fn fill(content: &mut Value, example: Option<Value>) {
    if let (Some(example), Some(content)) = (example, content.as_object_mut()) {
        content.entry("example").or_insert(example);
    }
}

/// The component a content's schema names (directly, as a list's items, or as the non-null
/// choice of an optional body).
fn schema_name(content: &Value) -> Option<&str> {
    let schema = &content["schema"];
    let target = schema["$ref"]
        .as_str()
        .or_else(|| schema["items"]["$ref"].as_str())
        .or_else(|| {
            schema["oneOf"]
                .as_array()?
                .iter()
                .find_map(|choice| choice["$ref"].as_str())
        })?;
    target.strip_prefix("#/components/schemas/")
}

fn request(kind: &str, content: &Value) -> Option<Value> {
    match kind {
        "text/csv" => return Some(json!(CATALOGUE_CSV)),
        "application/x-ndjson" => return Some(json!(CATALOGUE_NDJSON)),
        "image/jpeg" | "image/png" => return Some(json!(PICTURE)),
        _ => {}
    }
    Some(match schema_name(content)? {
        "RegisterBody" => json!({"role": "donor", "name": "Li Na", "email": "lina@example.org",
                                  "password": "books for all", "language": "zh"}),
        "LoginBody" => json!({"email": "lina@example.org", "password": "books for all"}),
        "SchoolBody" => json!({"name": "Baiyun Village Primary", "province": "Yunnan",
                                "county": "Lancang", "address": "2 River Road, Baiyun",
                                "contact_phone": "0879-555-0199", "student_count": 80,
                                "school_code": "5308280001"}),
        "WishBody" => json!({"isbn": "978-0-06-077585-8", "quantity": 5,
                              "note": "Grade 1 reading corner"}),
        "QuantityBody" => json!({"quantity": 8}),
        "PreferencesBody" => json!({"language": "en", "email_notices": false}),
        "PledgeBody" => json!({"isbn": "9780060775858", "quantity": 2, "school_id": 1}),
        "StatusBody" => json!({"status": "shipped", "carrier": "China Post",
                                "tracking_number": "EMS123456789CN"}),
        "TrackingBody" => json!({"carrier": "China Post", "tracking_number": "EMS123456789CN"}),
        "CancelBody" => json!({"note": "I cannot find my copies after all"}),
        "NoteBody" => json!({"note": "Called the school; the head teacher confirmed."}),
        "VerifyBody" => json!({"school_code": "2153000123",
                                "note": "Matched on the county education bureau's list"}),
        "EditBody" => json!({"title": "Goodnight Moon", "authors": "Margaret Wise Brown",
                              "age_band": "early", "language": "en", "publication_year": 1947}),
        "FileText" => json!(WISHLIST_CSV),
        "BookListBody" => json!({"name": "Grades 3-4, 2026 spring", "age_band": "primary",
                                  "grades": [3, 4]}),
        "BookListBookBody" => json!({"isbn": "9787535347411",
                                      "reason": "A village childhood, told gently"}),
        "WishCardBody" => json!({"child_name": "小明", "grade": 3, "isbn": "9787535347411",
                                  "sentence": "我想知道桑桑的草房子是什么样子的",
                                  "guardian_consent": true, "booklist_id": 1}),
        "ThanksBody" => json!({"sentence": "谢谢您！我每天都读一章。"}),
        "ClaimBody" => json!({"wish_ids": [14, 15]}),
        "WeChatSignInBody" => json!({"code": "0c3Ab2ll2mZPhe4Nwoml2v0Hwx3Ab2lM", "language": "zh"}),
        "WeChatBindBody" => json!({"code": "0c3Ab2ll2mZPhe4Nwoml2v0Hwx3Ab2lM"}),
        "SubscriptionsBody" => json!({"template_ids": ["T-shipped-8xQ2"]}),
        "WebhookBody" => json!({"url": "https://sms.example.org/bookbridge",
                                 "secret": "whsec_0123456789abcdef",
                                 "events": ["pledge_shipped", "pledge_delivered"]}),
        _ => return None,
    })
}

fn response(path: &str, status: &str, kind: &str, content: &Value) -> Option<Value> {
    if !status.starts_with('2') {
        return error(status);
    }
    if kind == "image/jpeg" {
        return Some(json!(PICTURE));
    }
    if kind == "text/csv" {
        return Some(json!(match path {
            "/audit.csv" => AUDIT_CSV,
            "/pledges.csv" => PLEDGES_CSV,
            "/admin/figures.csv" => FIGURES_CSV,
            _ => WISHLIST_EXPORT_CSV,
        }));
    }
    if path == "/openapi.json" {
        return Some(
            json!({"openapi": "3.1.0", "info": {"title": "bookbridge", "version": "0.1.0"},
                           "paths": {}}),
        );
    }
    Some(match schema_name(content)? {
        "Account" => account(),
        "AccountList" => json!({"accounts": [account()]}),
        "NewSession" => json!({"token": "3f1c9a…", "expires_at": "2026-12-26T08:00:00Z"}),
        "WeChatSessionBody" => {
            let mut account = account();
            account["name"] = json!("微信用户");
            account["email"] = json!("wechat.5d2a0c7e91b34f6a8c0d1e2f@wechat.invalid");
            json!({"token": "3f1c9a…", "expires_at": "2026-12-26T08:00:00Z",
                   "account": account, "new": true})
        }
        "NoticeList" => json!({"notices": [{"id": 90, "kind": "pledge_shipped", "pledge_id": 31,
            "created_at": "2026-11-22T06:30:00Z", "subject": "您捐的书已经寄出",
            "body": "《Goodnight Moon》已经寄往学校。学校确认收到后，我们会告诉您。"}]}),
        "WeChatStandingBody" => json!({"bound": true, "subscriptions": [
            {"kind": "pledge_shipped", "template_id": "T-shipped-8xQ2", "credits": 1},
            {"kind": "pledge_delivered", "template_id": "T-delivered-3kP9", "credits": 0}]}),
        "AuditPage" => json!({"entries": [{"id": 41, "at": "2026-11-26T08:00:00Z",
            "actor_id": 1, "action": "account_approved", "subject": "account:7",
            "detail": "Called the volunteer; ID card seen.", "client": "203.0.113.9"}]}),
        "SchoolView" => {
            let mut school = school_summary();
            school["address"] = json!("2 River Road, Baiyun");
            school["contact_phone"] = json!("0879-555-0199");
            school
        }
        "SchoolList" => json!({"schools": [school_summary()]}),
        "Wishlist" => json!({"school_id": 1, "items": [wishlist_item()]}),
        "WishlistItem" => wishlist_item(),
        "BookWithNeeds" => {
            let mut book = book();
            book["outstanding"] = json!(3);
            book["needs"] = json!([{"school_id": 1, "school_name": "Baiyun Village Primary",
                                    "wishlist_item_id": 12, "outstanding": 3}]);
            book
        }
        "PledgeView" => {
            let mut pledge = pledge();
            pledge["ship_to"] = json!({"school_id": 1, "name": "Baiyun Village Primary",
                "address": "2 River Road, Baiyun", "contact_phone": "0879-555-0199"});
            pledge
        }
        "PledgeList" => json!({"pledges": [pledge()]}),
        "EventList" => json!({"pledge_id": 31, "events": [
            {"id": 90, "pledge_id": 31, "actor_id": 7, "from": null, "to": "pledged",
             "note": null, "carrier": null, "tracking_number": null, "at": "2026-11-20T02:00:00Z"},
            {"id": 95, "pledge_id": 31, "actor_id": 3, "from": "pledged", "to": "shipped",
             "note": null, "carrier": "China Post", "tracking_number": "EMS123456789CN",
             "at": "2026-11-22T06:30:00Z"}]}),
        "SearchResults" => {
            json!({"total": 1, "total_exact": true, "hits": [{"isbn": "9780060775858",
            "title": "Goodnight Moon", "authors": "Margaret Wise Brown", "year": 1947,
            "language": "en", "age_band": "early", "outstanding": 3, "schools_needing": 1,
            "score": 7.25}],
            "facets": {"language": {"en": 1}, "age": {"early": 1}}})
        }
        "ImportReport" => json!({"imported": 2, "added": 1, "changed": 1, "unchanged": 0,
            "rejected_total": 1, "rejected": [
            {"line": 4, "code": "check_digit",
             "reason": "`9780060775859` is not a valid ISBN-10 or ISBN-13: the check digit does not match"}]}),
        "Health" => json!({"status": "ok", "database": "sqlite",
                            "index_lag": {"rows": 0, "oldest_seconds": 0},
                            "notifications_pending": 0}),
        "Figures" => json!({
            "by_month": {"2026-11": {"requested": 120, "pledged": 40, "shipped": 25, "delivered": 18}},
            "by_province": {"Yunnan": {"requested": 120, "pledged": 40, "shipped": 25, "delivered": 18}},
            "total": {"requested": 120, "pledged": 40, "shipped": 25, "delivered": 18}}),
        "BookListList" => json!({"booklists": [booklist()]}),
        "BookListWithBooks" => {
            let mut list = booklist();
            list["books"] = json!([{"isbn": "9787535347411", "title": "草房子",
                "authors": "曹文轩", "cover_url": null,
                "reason": "Short chapters, big print: a first chapter book"}]);
            list
        }
        "ClassList" => json!({"school_id": 1, "classes": [
            {"grade": 3, "wishes": 24, "answered": 9, "delivered": 4}]}),
        "WishList" => json!({"wishes": [wish_card()]}),
        "WishCard" => wish_card(),
        "ClaimedPledges" => {
            let mut pledge = pledge();
            pledge["quantity"] = json!(1);
            pledge["status"] = json!("pledged");
            pledge["carrier"] = json!(null);
            pledge["tracking_number"] = json!(null);
            pledge["child_wish_id"] = json!(14);
            pledge["wish"] = json!({"id": 14, "grade": 3, "status": "claimed",
                "child_name": "小明", "sentence": "我想知道桑桑的草房子是什么样子的",
                "thanks": null, "thanked_at": null, "has_photo": true,
                "has_thanks_photo": false, "details_removed": false});
            json!({"pledges": [pledge]})
        }
        "Shelf" => shelf(),
        "ParcelView" => parcel(),
        "ConfirmedBox" => json!({"parcels": [parcel()]}),
        "ProposedPlan" => json!({"id": 5, "parcels": [
            {"school": {"id": 1, "name": "Baiyun Village Primary", "province": "Yunnan"},
             "books": [{"isbn": "9787535347411", "title": "草房子", "item": 12},
                       {"isbn": "9780060775858", "title": "Goodnight Moon", "item": 13}]}],
            "unplaced": [{"isbn": "9780140449136", "reason": "not_wanted"}]}),
        "Shelved" => json!({"added": 1, "shelf": shelf()}),
        "Webhook" => json!({"id": 3, "url": "https://sms.example.org/bookbridge",
                             "events": ["pledge_shipped", "pledge_delivered"],
                             "created_at": "2026-11-26T08:00:00Z"}),
        _ => return None,
    })
}

/// An error answer as each status gives one.
fn error(status: &str) -> Option<Value> {
    let (code, message, field) = match status {
        "400" => (
            "malformed_json",
            "the body is not valid JSON: expected `,` or `}` at line 1 column 18",
            None,
        ),
        "401" => ("unauthenticated", "a valid bearer token is required", None),
        "403" => ("forbidden", "only donor accounts can pledge books", None),
        "404" => ("not_found", "school 42 was not found", None),
        "405" => (
            "method_not_allowed",
            "this path does not answer that method",
            None,
        ),
        "409" => ("insufficient_need", "only 2 copies are still needed", None),
        "413" => ("body_too_large", "the request body is too large", None),
        "422" => (
            "validation_failed",
            "`quantity` must be a whole number from 1 to 10000",
            Some("quantity"),
        ),
        "429" => (
            "too_many_attempts",
            "too many attempts; try again in 60 seconds",
            None,
        ),
        "500" => ("internal_error", "something went wrong on our side", None),
        "503" => (
            "database_unavailable",
            "the database is not answering",
            None,
        ),
        _ => return None,
    };
    let mut detail = json!({"code": code, "message": message});
    if let Some(field) = field {
        detail["field"] = json!(field);
    }
    if code == "insufficient_need" {
        detail["outstanding"] = json!(2);
    }
    Some(json!({ "error": detail }))
}

fn account() -> Value {
    json!({"id": 7, "role": "donor", "name": "Li Na", "email": "lina@example.org",
           "status": "active", "coordinator": false, "school_id": null,
           "created_at": "2026-11-01T09:30:00Z", "language": "zh", "email_notices": true})
}

fn school_summary() -> Value {
    json!({"id": 1, "name": "Baiyun Village Primary", "province": "Yunnan", "county": "Lancang",
           "student_count": 80, "books_needed": 23, "verified": true})
}

fn booklist() -> Value {
    json!({"id": 1, "name": "Grades 1-2, 2026 spring", "age_band": "primary", "grades": [1, 2],
           "book_count": 12, "created_at": "2026-11-01T09:30:00Z"})
}

fn wish_card() -> Value {
    json!({"id": 14, "status": "open", "school_id": 1, "school_name": "Baiyun Village Primary",
           "province": "Yunnan", "county": "Lancang", "grade": 3, "isbn": "9787535347411",
           "title": "草房子", "child_name": "小明",
           "sentence": "我想知道桑桑的草房子是什么样子的", "has_photo": true, "booklist_id": 1,
           "created_at": "2026-11-20T02:00:00Z"})
}

fn shelf() -> Value {
    json!({"school_id": 1, "books": [
        {"isbn": "9787535347411", "title": "草房子", "work": "OL17930368W", "source": "delivered",
         "added_at": "2026-11-28T03:00:00Z"},
        {"isbn": "9787020002207", "title": "红楼梦", "work": null, "source": "school",
         "added_at": "2026-11-20T08:00:00Z"}]})
}

fn wishlist_item() -> Value {
    json!({"id": 12, "school_id": 1, "isbn": "9780060775858", "title": "Goodnight Moon",
           "requested": 5, "pledged": 1, "shipped": 1, "delivered": 0, "committed": 2,
           "outstanding": 3, "note": "Grade 1 reading corner", "any_edition": true,
           "status": "open",
           "created_at": "2026-11-01T09:30:00Z", "updated_at": "2026-11-20T02:00:00Z"})
}

fn book() -> Value {
    json!({"isbn": "9780060775858", "isbn10": "0060775858", "title": "Goodnight Moon",
           "subtitle": null, "authors": "Margaret Wise Brown", "publisher": "HarperCollins",
           "publication_year": 1947, "page_count": 32, "language": "en", "age_band": "early",
           "subjects": "Bedtime; Picture books", "description": null,
           "cover_url": "https://covers.openlibrary.org/b/isbn/9780060775858-M.jpg",
           "work": "OL1877288W",
           "metadata": {"status": "fetched", "attempts": 1, "error": null,
                        "fetched_at": "2026-11-01T09:31:00Z", "next_attempt_at": null}})
}

fn pledge() -> Value {
    json!({"id": 31, "donor_id": 7, "school_id": 1, "wishlist_item_id": 12,
           "isbn": "9780060775858", "quantity": 2, "status": "shipped", "carrier": "China Post",
           "tracking_number": "EMS123456789CN", "created_at": "2026-11-20T02:00:00Z",
           "updated_at": "2026-11-22T06:30:00Z", "ship_by": "2026-12-11T02:00:00Z",
           "extended": false, "parcel_id": 31})
}

fn parcel() -> Value {
    let mut pledge = pledge();
    pledge["isbn"] = json!("9787535347411");
    pledge["quantity"] = json!(1);
    json!({"id": 31, "school_id": 1, "donor_id": 7, "ship_by": "2026-12-11T02:00:00Z",
           "carrier": "China Post", "tracking_number": "EMS123456789CN",
           "ship_to": {"school_id": 1, "name": "Baiyun Village Primary",
                       "address": "2 River Road, Baiyun", "contact_phone": "0879-555-0199"},
           "pledges": [pledge]})
}

/// A picture's bytes cannot be shown; the example says what goes there.
const PICTURE: &str = "(the bytes of a photo taken with a phone)";
const WISHLIST_CSV: &str =
    "isbn,quantity,note\r\n9780060775858,5,Grade 1 reading corner\r\n9787020031566,2,四年级\r\n";
const CATALOGUE_CSV: &str = "isbn,title,authors,language,publication_year\r\n9780060775858,Goodnight Moon,Margaret Wise Brown,en,1947\r\n";
const CATALOGUE_NDJSON: &str = "{\"isbn\": \"9780060775858\", \"title\": \"Goodnight Moon\", \"authors\": \"Margaret Wise Brown\"}\n";
const AUDIT_CSV: &str = "id,at,actor_id,action,subject,detail,client\r\n41,2026-11-26T08:00:00+00:00,1,account_approved,account:7,Called the volunteer,203.0.113.9\r\n";
const PLEDGES_CSV: &str = "pledge_id,created_at,status,isbn,title,quantity,school_id,school_name,address,contact_phone,donor_id,carrier,tracking_number\r\n31,2026-11-20T02:00:00+00:00,pledged,9780060775858,Goodnight Moon,2,1,Baiyun Village Primary,\"2 River Road, Baiyun\",0879-555-0199,7,,\r\n";
const FIGURES_CSV: &str = "by,key,requested,pledged,shipped,delivered\r\nmonth,2026-11,120,40,25,18\r\nprovince,Yunnan,120,40,25,18\r\n";
const WISHLIST_EXPORT_CSV: &str = "isbn,title,requested,pledged,shipped,delivered,outstanding,note,status\r\n9780060775858,Goodnight Moon,5,1,1,0,3,Grade 1 reading corner,open\r\n";
