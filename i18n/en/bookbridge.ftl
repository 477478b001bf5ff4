# bookbridge page texts: English. Every message here must also be in the other language
# (a unit test compares the files); `fl!` checks ids against the English file.

app = bookbridge
api_docs = API for developers
tagline = Books for rural schools
search = Search
search_placeholder = Title, author, subject or ISBN
needed_only = Only books schools need
any_language = Any language
any_age = Any age
early = Ages 0-5
primary = Ages 6-11
teen = Ages 12-17
adult = Adults
needed_by = Needed by
not_needed = No school needs this book right now
pledge = Pledge
quantity = Copies
sign_in = Sign in
sign_out = Sign out
register = Register
email = Email
password = Password
name = Your name
role = I am
role_donor = A donor
role_school = A school
role_volunteer = A volunteer
wrong_login = The email or password is wrong.
my_pledges = My pledges
my_school = My school
queue = Shipping queue
send_to = Send to
status = Status
cancel = Cancel
pledged = Pledged
shipped = Shipped
delivered = Delivered
cancelled = Cancelled
lost = Lost
returned = Returned
expired = Expired: not posted in time
mark_shipped = Mark shipped
mark_lost = Lost in transit
mark_returned = Returned
confirm_delivery = Confirm it arrived
carrier = Carrier
tracking = Tracking number
scan_isbn = Scan or type an ISBN
to_ship = To ship
in_transit = On the way
wishlist = Wish list
outstanding = Still needed
add_book = Ask for a book
add = Add
upload_csv = Upload a book list file
book_list_help = A book list file has one book per row: ISBN, copies, and a note if you like. An Excel or WPS workbook (.xlsx) works as it is, and so does CSV (UTF-8 or the usual Chinese GBK).
book_list_template = Download a blank book list to fill in
book_list_file = Book list file (.xlsx or .csv)
find_in_catalogue = Or find books in the catalogue and add them from the results
add_to_list = Add to our book list
added_to_list = Added to your book list.
change_quantity = Copies wanted
close_item = Remove from the list
close_question = Remove this book from the list? Copies already promised still come.
item_closed = Removed from your book list.
bad_check_digit = The last digit of this ISBN does not match the others: one digit is probably mistyped. Check it against the back of the book.
did_you_mean = Did you mean one of these?
row_unreadable = this line cannot be read
row_bad_quantity = the number of copies must be a whole number from 1 to 10000
row_bad_field = a column is missing or too long
row_too_many_copies = more than 10000 copies of one book
bad_page = There is no such page.
page_n = Page
pages = Pages
prev_page = Previous
next_page = Next
schools_nav = Schools
school_directory = Schools asking for books
all_provinces = All provinces
show = Show
nothing_needed_now = Needs nothing right now.
split_title = Your gift would go to several schools
split_explained = So that no school is left out, we would send these copies to:
split_go_ahead = Go ahead with this split
split_or_choose = Or give to one school
give_all_here = Give to this school
pledged_on = Pledged on
post_by = Please post by
confirmed_by_school = confirmed by the school on
details_and_next = What happens next, and the dates
what_next = What happens next
next_pledged = You pledged the books
next_post = Post them to the school, at the address below, by
next_post_end = {"."}
next_post_help = Write down the tracking number: a bookbridge volunteer records the parcel with it, so the school knows it is coming.
next_arrive = The school confirms when the books arrive; you will see it here.
timeline = Dates
notices = Notices
how_told = How we tell you
notice_language = Language of notices and emails
email_me = Also send notices by email
admin_console = Console
figures = Books requested, pledged, shipped and delivered
requested = Asked
total = Total
by_month = By month
by_province = By province
unsent_notices = Notices that could not be sent
send_again = Send again
webhooks = Webhook receivers
all_events = every notice
remove_webhook = Remove this receiver
remove_webhook_question = It will get no more notices, and deliveries not yet made are dropped. Remove it?
stale_pledges = Pledges due within two days or overdue
needs_you_now = What needs you now
nothing_waiting = Nothing is waiting for you.
extend = I need more time (once)
extended = You have more time: the new date is above.
upload = Upload
share = Share this page
share_hint = Scan to see what this school needs
register_school = Register your school
school_name = School name
province = Province
county = County
address = Postal address
phone = Contact phone
students = Students
save = Save
easy_on = Larger text
easy_off = Normal text
bad_isbn = That is not a valid ISBN. Check the digits on the back of the book.
thanks = Thank you! Your pledge is recorded.
done = Done.
password_hint = At least 8 characters. A few words you will remember work well.
empty_wishlist = No books asked for yet.
isbn_hint = The 10 or 13 digits above the barcode, on the back cover.
all_tasks = All tasks
note = Note (for example: which class)
delivery_confirmed = Marked as arrived. Thank you!
imported = Added from the file
refused = lines refused
need_sign_in = Please sign in first.
not_allowed = Your account cannot do that.
expired_form = The form expired. Please try again.
back_to_form = Back to the form
school_code_label = School identification code (学校标识码, 10 digits; optional)
school_code_hint = It is on the county education bureau's list of schools; a coordinator checks it before the school receives books.
nothing_here = Nothing here yet.
books_needed = books still needed
err_invalid_credentials = The email or password is wrong.
err_not_found = We could not find that.
err_email_taken = An account with this email already exists.
err_school_exists = This account already manages a school.
err_wishlist_item_closed = This wish-list item is closed.
err_conflict = Someone changed this at the same moment. Please try again.
err_internal_error = Something went wrong on our side; please try again.
err_page_not_found = Page not found
err_page_refused = That did not work
account_pending = Your account is waiting for a coordinator to approve it. You can sign in and see this page; books, addresses and shipping open once you are approved.
err_school_not_verified = This school has not been verified yet, so it cannot receive pledges.
pending = Waiting for approval
active = Approved
suspended = Suspended
my_account = My account
vetting = Vetting
audit = Audit log
approve = Approve
suspend = Suspend
reinstate = Reinstate
verify = Verify school
school_code = School identification code (10 digits)
how_checked = How you checked it
vet_note = Note (why)
accounts_to_vet = Accounts waiting for approval
schools_to_verify = Schools waiting for verification
suspended_accounts = Suspended accounts
sign_out_everywhere = Sign out on every device
signed_out_everywhere = Signed out on every device.
download_csv = Download as a spreadsheet (CSV)
verified = Verified
not_verified = Not verified yet
coordinator = Coordinator
role_admin = An admin
pending_help_volunteer = A coordinator will contact you to confirm who you are. Until then you cannot see schools' addresses or the shipping queue.
pending_help_school = Register your school with its 10-digit identification code (学校标识码). A coordinator checks it; then donors can send you books. You can prepare your book list meanwhile.
when = When
who = Who
what = What
subject = Record
from_where = From
pledge_here = Give to this school
sign_in_to_pledge = Sign in to give to this school
showing_isbn = Showing ISBN
show_all = show all
tracking_required = Please enter the tracking number: without it the parcel cannot be followed.
are_you_sure = Are you sure? This cannot be undone.
only_this_arrived = Only this one arrived
given_by = Given by
shelf_title = Books we have
shelf_intro = The books your school already has. Donors are not sent a title that is here (nor another edition of it) unless you tick "another copy is wanted" when you ask for it.
shelf_scan = Scan or type ISBNs, one a line
shelf_scan_hint = A barcode scanner types the number and Enter: scan one book after another.
shelf_add = Put on the shelf
shelf_file = Or send your library's list (CSV or Excel: the ISBN in the first column)
shelf_added = New on the shelf: { $added }; already there: { $had }.
shelf_from_school = added by the school
shelf_from_donor = arrived from a donor
shelf_empty = Nothing on the shelf yet.
on_shelf_tag = Have it
arrived_question = Did every book in this parcel arrive?
yes = Yes
meta_description = bookbridge matches donated books to rural schools in China: schools ask, donors give, volunteers ship.
file_unreadable = The file could not be read.
err_home = Back to the home page
wishes_nav = Children's wishes
wishes_title = Children's reading wishes
wishes_intro = Each card is one child's wish for one book the child chose. Give the book, and the child's thanks comes back to you.
wishes_for = wishes for
claim_wish = Give this book
sign_in_to_claim = Sign in to give this book
waiting_longest = Waiting longest first
newest_first = Newest first
any_grade = Any grade
any_province = Any province
show_wishes = Show
no_open_wishes = No wishes are waiting right now.
n_wishes = wishes
n_answered = taken by a donor
n_arrived = books arrived
wish_claimed = Thank you! This book goes to the child. Please post it by the date below.
only_this_edition = Only this edition (not another printing or a paperback of the same book)
again_wanted = Another copy is wanted (the school already has this book)
err_plan_stale = Another donor has just taken some of what these schools needed. Here is a fresh plan: please look at it again.
err_already_on_shelf = The school already has this book on its shelf (ISBN { $isbn }). Tick "another copy is wanted" to ask for it again.
wish_taken_msg = Another donor has just answered this wish. Please choose another.
err_wish_refused = This cannot be done with the wish at this stage.
a_wish_from = A wish from
childs_thanks = The child's thanks
wish_withdrawn_note = The school withdrew this wish; your book still goes to the school.
details_removed_note = The child's details have been removed, as promised.
my_wishes = Our wish cards
add_wish_card = Add a wish card
child_name = Child's given name or nickname
child_name_hint = Never the surname: at most two Chinese characters, or one word.
grade = Grade
the_book = The book the child chose
or_isbn = Or any book, by its ISBN
childs_sentence = The child's own sentence: why this book (up to 60 characters)
card_photo = Photo of the handwritten card (if you like)
photo_hint = The place and time hidden in a photo are removed before it is kept.
guardian_agreed = The child's guardian agreed that this wish may be shown to donors
consent_hint = Without this tick the wish stays with your school and nobody else sees it.
save_wish = Save this wish
wish_saved = Saved. Add the next child's wish below.
choose_list = Choose from a book list
record_consent = The guardian agreed: publish it
consent_recorded = Published: donors can now see this wish.
withdraw = Withdraw
withdraw_hint = The child's name, sentence and photos are deleted.
withdrawn_done = Withdrawn. The child's details are deleted.
record_thanks = Record the child's thanks
thanks_sentence = The child's thanks (up to 60 characters)
thanks_photo = Photo of the thanks card (if you like)
thanks_saved = Thank you! The thanks has been passed on to the donor.
wish_awaiting_consent = Waiting for the guardian's consent
wish_open = Waiting for a donor
wish_claimed_status = A donor is sending the book
wish_delivered = The book arrived
wish_withdrawn = Withdrawn
class_page = Class page to share
share_class_hint = Scan or send this page to donors.
no_wishes_yet = No wishes yet.
booklists_nav = Book lists
booklists_title = Curated book lists
new_booklist = New book list
booklist_name = Name
grades_range = Grades it suits (from – to)
add_book_isbn = Add a book by ISBN
book_reason = Why this book (one line)
import_booklist = Add books from a file (columns: isbn, reason)
books_on_list = books
book_added = Added to the list.
add_to_curated = Add to a curated list
wishes_of_classes = Children's wishes by class
n_results = { $count ->
    [one] 1 book found
   *[other] { $count } books found
}
n_results_more = More than { $count } books found
n_schools = { $count ->
    [one] 1 school
   *[other] { $count } schools
}
n_copies = { $count ->
    [one] 1 copy
   *[other] { $count } copies
}
row_problem = line { $line }: { $problem }
another_book = Another book: type its ISBN below
photo_again = The photo you chose was not kept: please choose it again before saving.
audit_signin = signed in
audit_signin_failed = sign-in failed (wrong email or password)
audit_signin_throttled = sign-in refused: too many attempts
audit_account_lock = account locked after failed sign-ins
audit_address_lock = address locked after failed sign-ins
audit_account_register = registered
audit_account_approve = approved an account
audit_account_suspend = suspended an account
audit_account_reinstate = reinstated an account
audit_account_coordinator = changed who coordinates
audit_account_signout_everywhere = signed out on every device
audit_school_verify = verified a school
audit_book_edit = edited a book
audit_wishlist_change = changed a wish list
audit_shelf_change = added books the school already has
audit_pledge_move = moved a pledge
audit_export = downloaded a list
audit_webhook_register = added a webhook receiver
audit_webhook_remove = removed a webhook receiver
audit_booklist_change = changed a curated book list
audit_wish_change = changed a child's wish
audit_account_wechat_bind = bound WeChat to the account
kind_account = account
kind_school = school
kind_pledge = pledge
kind_wish = wish
kind_book = book
kind_webhook = webhook
kind_booklist = book list
kind_item = wish-list item
kind_address = address
when_china = When (China time, UTC+8)
system_actor = the system
import_added = Added to the list: { $count ->
    [one] 1 book.
   *[other] { $count } books.
}
import_changed = Copies changed: { $count ->
    [one] 1 book.
   *[other] { $count } books.
}
import_unchanged = Already as the file says: { $count ->
    [one] 1 book.
   *[other] { $count } books.
}
import_refused = { $count ->
    [one] 1 line refused:
   *[other] { $count } lines refused:
}
row_below_committed = fewer copies than donors have already promised
list_mode = The numbers in the file
list_mode_set = are how many copies our list asks for (uploading the same file again changes nothing)
list_mode_add = are copies to add to what our list already asks for
back_to_tasks = All tasks
wish_cards_task = Children's wish cards
note_short = Note
n_students = { $count ->
    [one] 1 student
   *[other] { $count } students
}
main_nav = Site
menu = Menu
split_parcels = { $count ->
    [one] This is one parcel, with one postage.
   *[other] That is { $count } parcels, one to each school, each with its own postage: you post each of them yourself.
}
parcel_no = Parcel no. { $id }
childs_wish_tag = A child's wish card
correct_tracking = Correct the tracking number
tracking_corrected = Tracking number corrected
parcel_done = { $what }: parcel no. { $id }, ISBN { $book } × { $quantity } { $tracking }
wish_card_books = Books for children's wish cards
taken_by_donors = Taken by donors
not_allowed_page = This page is for another kind of account.
figures_row = Copies
rule_name = The name must not be empty and at most 200 characters.
rule_email = Please give a working email address, such as name@example.org.
rule_password = The password needs 8 to 256 characters.
rule_role = Please choose a school, a donor or a volunteer.
rule_province = Please give the province, at most 100 characters.
rule_county = Please give the county, at most 100 characters.
rule_address = Please give the postal address, at most 500 characters.
rule_contact_phone = A phone number holds only digits (full-width ones too), spaces and + - ( ).
rule_student_count = The number of students must be from 1 to 100,000.
rule_quantity = The number of copies must be from 1 to 10,000.
rule_isbn = That ISBN is not right: type the 10 or 13 digits above the barcode on the back of the book.
rule_book_choice = Tick the book the child chose, or type its ISBN (one of the two).
rule_note = A note has at most 500 characters and no control characters.
rule_carrier = The carrier has at most 100 characters and no control characters.
rule_tracking_number = The tracking number has at most 100 characters and no control characters.
rule_file = The file cannot be read: upload a CSV (UTF-8 or GBK) or an .xlsx workbook; a catalogue's first row must be a header with an isbn column.
rule_needed = "Only books schools need" is yes or no.
rule_lang = Please choose a language, such as Chinese or English.
rule_age = Please choose an age band: early, primary, teen or adult.
rule_page = There is no such page.
rule_child_name = Only the child's given name or nickname: at most two Chinese characters or one word, never the surname.
rule_sentence = The child's sentence must not be empty, at most 60 characters.
rule_grade = The grade must be from 1 to 9.
rule_photo = The photo must be a JPEG or PNG picture of at most 8 MB.
rule_reason = A reason has at most 100 characters and no control characters.
rule_school_code = The school identification code is 10 digits (it is on the county education bureau's list of schools).
rule_language = Please choose Chinese or English.
rule_title = A title has at most 500 characters and no control characters.
rule_authors = Authors have at most 1,000 characters and no control characters.
rule_subtitle = A subtitle has at most 500 characters and no control characters.
rule_publisher = A publisher has at most 300 characters and no control characters.
rule_subjects = Subjects have at most 2,000 characters and no control characters.
rule_description = A description has at most 10,000 characters and no control characters.
rule_url = Please give a public address starting with https://.
rule_secret = The secret needs 16 to 200 characters.
rule_events = Please choose which notices to receive.
rule_unknown = Something in the form is not right; please check it and try again.
err_invalid_transition = This pledge is { $from } now: it cannot become { $to }.
err_too_many_attempts = Too many attempts. Please try again in { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
err_invalid_vetting = This account is { $status } now: that decision does not apply.
err_insufficient_need = Only { $count ->
    [one] 1 copy is
   *[other] { $count } copies are
} still needed.
err_already_extended = This pledge has had its one extension already.
err_cannot_extend = Only a pledge not yet posted can have more time.
err_below_committed = The list cannot ask for fewer than the { $count } copies donors already promised.
box_title = A box of books
box_intro = Scan or type the ISBN of each book on your shelf, one a line (a book twice is two copies). We plan where each is still needed, in as few parcels as we can, the neediest schools first.
box_isbns = ISBNs
box_isbns_hint = A barcode scanner types the number and Enter: scan book after book.
box_plan_it = Plan my box
box_plan = Your box, planned
box_plan_summary = { $books ->
    [one] 1 book
   *[other] { $books } books
} in { $parcels ->
    [one] 1 parcel
   *[other] { $parcels } parcels
}: each parcel goes to one school, posted on its own.
box_leave_out = Leave this school out
box_unplaced = Not in the plan
unplaced_not_wanted = no school asks for it now
unplaced_unknown_isbn = we do not know this ISBN
unplaced_more_than_wanted = more copies than schools still need
box_confirm = Yes: pledge these parcels
box_confirmed = Your parcels
box_confirmed_intro = { $parcels ->
    [one] Please post this parcel
   *[other] Please post these { $parcels } parcels
} by the date shown, and enter the tracking number once posted.
parcel_mark_posted = Posted: save the tracking number
parcel_posted = Parcel no. { $id } is on its way. Thank you!
give_a_box = Give a box of books
