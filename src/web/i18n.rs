//! Chinese and English text for the pages, chosen from a cookie or `Accept-Language`.

pub use crate::domain::language::Language as Lang;

impl Lang {
    /// The text for `key` in this language (the key itself if unknown, so a gap shows).
    pub fn t(self, key: &'static str) -> &'static str {
        let (en, zh) = match key {
            "app" => ("bookbridge", "书桥"),
            "api_docs" => ("API for developers", "开发者接口文档"),
            "tagline" => ("Books for rural schools", "把书送到乡村学校"),
            "search" => ("Search", "搜索"),
            "search_placeholder" => ("Title, author, subject or ISBN", "书名、作者、主题或 ISBN"),
            "needed_only" => ("Only books schools need", "只看学校需要的书"),
            "any_language" => ("Any language", "任何语言"),
            "any_age" => ("Any age", "任何年龄"),
            "early" => ("Ages 0-5", "0-5 岁"),
            "primary" => ("Ages 6-11", "6-11 岁"),
            "teen" => ("Ages 12-17", "12-17 岁"),
            "adult" => ("Adults", "成人"),
            "results" => ("books found", "本书"),
            "result" => ("book found", "本书"),
            "needed_by" => ("Needed by", "需要的学校："),
            "schools" => ("schools", "所"),
            "school" => ("school", "所"),
            "copies" => ("copies", "本"),
            "copy" => ("copy", "本"),
            "not_needed" => (
                "No school needs this book right now",
                "目前没有学校需要这本书",
            ),
            "pledge" => ("Pledge", "捐赠"),
            "quantity" => ("Copies", "数量"),
            "sign_in" => ("Sign in", "登录"),
            "sign_out" => ("Sign out", "退出"),
            "register" => ("Register", "注册"),
            "email" => ("Email", "电子邮箱"),
            "password" => ("Password", "密码"),
            "name" => ("Your name", "姓名"),
            "role" => ("I am", "我是"),
            "role_donor" => ("A donor", "捐书人"),
            "role_school" => ("A school", "学校"),
            "role_volunteer" => ("A volunteer", "志愿者"),
            "wrong_login" => ("The email or password is wrong.", "邮箱或密码不正确。"),
            "my_pledges" => ("My pledges", "我的捐赠"),
            "my_school" => ("My school", "我的学校"),
            "queue" => ("Shipping queue", "发货队列"),
            "send_to" => ("Send to", "寄往"),
            "status" => ("Status", "状态"),
            "cancel" => ("Cancel", "取消"),
            "pledged" => ("Pledged", "已认捐"),
            "shipped" => ("Shipped", "已发货"),
            "delivered" => ("Delivered", "已送达"),
            "cancelled" => ("Cancelled", "已取消"),
            "lost" => ("Lost", "丢失"),
            "returned" => ("Returned", "退回"),
            "expired" => ("Expired: not posted in time", "已过期：未按时寄出"),
            "mark_shipped" => ("Mark shipped", "标记已发货"),
            "mark_lost" => ("Lost in transit", "运输中丢失"),
            "mark_returned" => ("Returned", "已退回"),
            "confirm_delivery" => ("Confirm it arrived", "确认收到"),
            "carrier" => ("Carrier", "快递公司"),
            "tracking" => ("Tracking number", "运单号"),
            "scan_isbn" => ("Scan or type an ISBN", "扫描或输入 ISBN"),
            "to_ship" => ("To ship", "待发货"),
            "in_transit" => ("On the way", "运输中"),
            "wishlist" => ("Wish list", "心愿书单"),
            "outstanding" => ("Still needed", "仍缺"),
            "add_book" => ("Ask for a book", "添加需要的书"),
            "add" => ("Add", "添加"),
            "upload_csv" => ("Upload a book list file", "上传书单文件"),
            "book_list_help" => (
                "A book list file has one book per row: ISBN, copies, and a note if you like. An Excel or WPS workbook (.xlsx) works as it is, and so does CSV (UTF-8 or the usual Chinese GBK).",
                "书单文件每行一本书：ISBN、数量，可以加备注。Excel 或 WPS 表格（.xlsx）可以直接上传，CSV 也可以（UTF-8 或常用的 GBK 编码都行）。",
            ),
            "book_list_template" => (
                "Download a blank book list to fill in",
                "下载空白书单模板",
            ),
            "book_list_file" => ("Book list file (.xlsx or .csv)", "书单文件（.xlsx 或 .csv）"),
            "find_in_catalogue" => (
                "Or find books in the catalogue and add them from the results",
                "也可以在书目中搜索，从结果里直接添加",
            ),
            "add_to_list" => ("Add to our book list", "加入我们的书单"),
            "added_to_list" => ("Added to your book list.", "已加入书单。"),
            "change_quantity" => ("Copies wanted", "需要的数量"),
            "close_item" => ("Remove from the list", "从书单中移除"),
            "close_question" => (
                "Remove this book from the list? Copies already promised still come.",
                "确定从书单中移除这本书吗？已经认捐的书仍会寄来。",
            ),
            "item_closed" => ("Removed from your book list.", "已从书单中移除。"),
            "bad_check_digit" => (
                "The last digit of this ISBN does not match the others: one digit is probably mistyped. Check it against the back of the book.",
                "这个 ISBN 的最后一位校验码对不上，可能有一位数字输错了，请对照书背面核对。",
            ),
            "did_you_mean" => ("Did you mean one of these?", "您要找的是不是这些书？"),
            "row_unreadable" => ("this line cannot be read", "这一行无法读取"),
            "row_bad_quantity" => (
                "the number of copies must be a whole number from 1 to 10000",
                "数量须是 1 到 10000 之间的整数",
            ),
            "row_bad_field" => (
                "a column is missing or too long",
                "有一列缺失或太长",
            ),
            "row_too_many_copies" => (
                "more than 10000 copies of one book",
                "同一本书超过 10000 本",
            ),
            "bad_page" => ("There is no such page.", "没有这一页。"),
            "page_n" => ("Page", "页码"),
            "pages" => ("Pages", "翻页"),
            "prev_page" => ("Previous", "上一页"),
            "next_page" => ("Next", "下一页"),
            "schools_nav" => ("Schools", "学校"),
            "school_directory" => ("Schools asking for books", "需要书的学校"),
            "all_provinces" => ("All provinces", "全部省份"),
            "show" => ("Show", "显示"),
            "nothing_needed_now" => ("Needs nothing right now.", "目前不缺书。"),
            "split_title" => ("Your gift would go to several schools", "您的捐赠会分给几所学校"),
            "split_explained" => (
                "So that no school is left out, we would send these copies to:",
                "为了不让任何一所学校落下，这些书会这样分配：",
            ),
            "split_go_ahead" => ("Go ahead with this split", "就这样分配"),
            "split_or_choose" => ("Or give to one school", "或者只捐给一所学校"),
            "give_all_here" => ("Give to this school", "捐给这所学校"),
            "pledged_on" => ("Pledged on", "认捐日期"),
            "post_by" => ("Please post by", "请在此日期前寄出："),
            "confirmed_by_school" => ("confirmed by the school on", "学校确认收到于"),
            "details_and_next" => ("What happens next, and the dates", "下一步和时间记录"),
            "what_next" => ("What happens next", "接下来"),
            "next_pledged" => ("You pledged the books", "您认捐了这些书"),
            "next_post" => (
                "Post them to the school, at the address below, by",
                "请最晚在",
            ),
            "next_post_end" => (".", " 之前把书寄到学校（地址如下）。"),
            "next_post_help" => (
                "Write down the tracking number: a bookbridge volunteer records the parcel with it, so the school knows it is coming.",
                "请记下快递单号：书桥志愿者会用它登记包裹，学校就知道书在路上了。",
            ),
            "next_arrive" => (
                "The school confirms when the books arrive; you will see it here.",
                "书到后学校会确认收到，您可以在这里看到。",
            ),
            "timeline" => ("Dates", "时间记录"),
            "notices" => ("Notices", "通知"),
            "how_told" => ("How we tell you", "通知方式"),
            "notice_language" => ("Language of notices and emails", "通知和邮件的语言"),
            "email_me" => ("Also send notices by email", "同时用邮件发送通知"),
            "admin_console" => ("Console", "管理台"),
            "figures" => ("Books requested, pledged, shipped and delivered", "需要、认捐、寄出和送达的书"),
            "requested" => ("Asked", "需要"),
            "total" => ("Total", "合计"),
            "by_month" => ("By month", "按月份"),
            "by_province" => ("By province", "按省份"),
            "unsent_notices" => ("Notices that could not be sent", "没能发出的通知"),
            "send_again" => ("Send again", "重新发送"),
            "webhooks" => ("Webhook receivers", "Webhook 接收地址"),
            "all_events" => ("every notice", "全部通知"),
            "remove_webhook" => ("Remove this receiver", "删除这个接收地址"),
            "remove_webhook_question" => (
                "It will get no more notices, and deliveries not yet made are dropped. Remove it?",
                "删除后它不会再收到通知，还没发出的也不再发送。确定删除吗？",
            ),
            "stale_pledges" => ("Pledges due within two days or overdue", "两天内到期或已逾期的认捐"),
            "needs_you_now" => ("What needs you now", "现在需要您做的事"),
            "nothing_waiting" => ("Nothing is waiting for you.", "现在没有需要您处理的事。"),
            "extend" => ("I need more time (once)", "我需要更多时间（限一次）"),
            "extended" => ("You have more time: the new date is above.", "已延期，新的日期见上方。"),
            "upload" => ("Upload", "上传"),
            "share" => ("Share this page", "分享此页"),
            "share_hint" => (
                "Scan to see what this school needs",
                "扫码查看这所学校需要的书",
            ),
            "register_school" => ("Register your school", "登记学校"),
            "school_name" => ("School name", "学校名称"),
            "province" => ("Province", "省"),
            "county" => ("County", "县"),
            "address" => ("Postal address", "邮寄地址"),
            "phone" => ("Contact phone", "联系电话"),
            "students" => ("Students", "学生人数"),
            "save" => ("Save", "保存"),
            "easy_on" => ("Larger text", "大字模式"),
            "easy_off" => ("Normal text", "标准模式"),
            "bad_isbn" => (
                "That is not a valid ISBN. Check the digits on the back of the book.",
                "这不是有效的 ISBN，请核对书背面的数字。",
            ),
            "thanks" => (
                "Thank you! Your pledge is recorded.",
                "谢谢！您的捐赠已记录。",
            ),
            "done" => ("Done.", "完成。"),
            "password_hint" => (
                "At least 8 characters. A few words you will remember work well.",
                "至少 8 个字符。用几个好记的词就很好。",
            ),
            "empty_wishlist" => ("No books asked for yet.", "还没有需要的书。"),
            "isbn_hint" => (
                "The 10 or 13 digits above the barcode, on the back cover.",
                "封底条形码上方的 10 位或 13 位数字。",
            ),
            "all_tasks" => ("All tasks", "全部任务"),
            "note" => ("Note (for example: which class)", "备注（例如：哪个班级）"),
            "delivery_confirmed" => ("Marked as arrived. Thank you!", "已确认收到，谢谢！"),
            "imported" => ("Added from the file", "从文件添加"),
            "refused" => ("lines refused", "行未通过"),
            "need_sign_in" => ("Please sign in first.", "请先登录。"),
            "not_allowed" => ("Your account cannot do that.", "您的账户不能进行此操作。"),
            "expired_form" => (
                "The form expired. Please try again.",
                "表单已过期，请重试。",
            ),
            "back_to_form" => ("Back to the form", "返回表单"),
            "school_code_label" => (
                "School identification code (学校标识码, 10 digits; optional)",
                "学校标识码（10 位数字，可以先不填）",
            ),
            "school_code_hint" => (
                "It is on the county education bureau's list of schools; a coordinator checks it before the school receives books.",
                "可在县教育局的学校名单上查到；志愿者核实后，学校才能收到捐书。",
            ),
            "nothing_here" => ("Nothing here yet.", "这里还没有内容。"),
            "school_page" => ("School page", "学校主页"),
            "books_needed" => ("books still needed", "本书仍然需要"),
            "err_invalid_credentials" => ("The email or password is wrong.", "邮箱或密码不正确。"),
            "err_not_found" => ("We could not find that.", "没有找到。"),
            "err_email_taken" => (
                "An account with this email already exists.",
                "这个邮箱已经注册过了。",
            ),
            "err_school_exists" => (
                "This account already manages a school.",
                "这个账号已经登记了一所学校。",
            ),
            "err_wishlist_item_closed" => ("This wish-list item is closed.", "这项书单已经关闭。"),
            "err_conflict" => (
                "Someone changed this at the same moment. Please try again.",
                "有人刚刚也修改了这里，请再试一次。",
            ),
            "err_internal_error" => (
                "Something went wrong on our side; please try again.",
                "我们这边出了问题，请稍后再试。",
            ),
            "err_page_not_found" => ("Page not found", "页面不存在"),
            "err_page_refused" => ("That did not work", "操作没有成功"),
            "account_pending" => (
                "Your account is waiting for a coordinator to approve it. You can sign in and see this page; books, addresses and shipping open once you are approved.",
                "您的账号正在等待协调员审核。审核通过前可以登录查看本页；通过后才能看到学校地址、处理发货。",
            ),
            "err_school_not_verified" => (
                "This school has not been verified yet, so it cannot receive pledges.",
                "这所学校还没有通过核实，暂时不能接受捐赠。",
            ),
            "pending" => ("Waiting for approval", "等待审核"),
            "active" => ("Approved", "已通过"),
            "suspended" => ("Suspended", "已暂停"),
            "my_account" => ("My account", "我的账号"),
            "vetting" => ("Vetting", "审核"),
            "audit" => ("Audit log", "操作记录"),
            "approve" => ("Approve", "通过"),
            "suspend" => ("Suspend", "暂停"),
            "reinstate" => ("Reinstate", "恢复"),
            "verify" => ("Verify school", "核实学校"),
            "school_code" => ("School identification code (10 digits)", "学校标识码（10 位数字）"),
            "how_checked" => ("How you checked it", "核实方式"),
            "vet_note" => ("Note (why)", "备注（原因）"),
            "accounts_to_vet" => ("Accounts waiting for approval", "等待审核的账号"),
            "schools_to_verify" => ("Schools waiting for verification", "等待核实的学校"),
            "suspended_accounts" => ("Suspended accounts", "已暂停的账号"),
            "sign_out_everywhere" => ("Sign out on every device", "在所有设备上退出"),
            "signed_out_everywhere" => ("Signed out on every device.", "已在所有设备上退出。"),
            "download_csv" => ("Download as a spreadsheet (CSV)", "下载表格（CSV）"),
            "verified" => ("Verified", "已核实"),
            "not_verified" => ("Not verified yet", "尚未核实"),
            "coordinator" => ("Coordinator", "协调员"),
            "role_admin" => ("An admin", "管理员"),
            "pending_help_volunteer" => (
                "A coordinator will contact you to confirm who you are. Until then you cannot see schools' addresses or the shipping queue.",
                "协调员会联系您确认身份。在此之前，您看不到学校地址和发货队列。",
            ),
            "pending_help_school" => (
                "Register your school with its 10-digit identification code (学校标识码). A coordinator checks it; then donors can send you books. You can prepare your book list meanwhile.",
                "请登记学校并填写 10 位学校标识码。协调员核实后，捐书人就能给您寄书。在此期间可以先准备书单。",
            ),
            "when" => ("When", "时间"),
            "who" => ("Who", "谁"),
            "what" => ("What", "操作"),
            "subject" => ("Record", "对象"),
            "from_where" => ("From", "来源"),
            "pledge_here" => ("Give to this school", "捐给这所学校"),
            "sign_in_to_pledge" => ("Sign in to give to this school", "登录后给这所学校捐书"),
            "showing_isbn" => ("Showing ISBN", "只显示 ISBN"),
            "show_all" => ("show all", "显示全部"),
            "tracking_required" => (
                "Please enter the tracking number: without it the parcel cannot be followed.",
                "请填写运单号：没有运单号就无法查询包裹。",
            ),
            "are_you_sure" => ("Are you sure? This cannot be undone.", "确定吗？此操作无法撤销。"),
            "arrived_question" => (
                "Did every book in this parcel arrive?",
                "这个包裹里的书都收到了吗？",
            ),
            "yes" => ("Yes", "是"),
            "meta_description" => (
                "bookbridge matches donated books to rural schools in China: schools ask, donors give, volunteers ship.",
                "书桥把捐赠的图书送到乡村学校：学校提出需要，捐书人认捐，志愿者寄送。",
            ),
            "file_unreadable" => ("The file could not be read.", "文件无法读取。"),
            "err_home" => ("Back to the home page", "返回首页"),
            "wishes_nav" => (
                "Children's wishes",
                "孩子的心愿",
            ),
            "wishes_title" => (
                "Children's reading wishes",
                "孩子们的读书心愿",
            ),
            "wishes_intro" => (
                "Each card is one child's wish for one book the child chose. Give the book, and the child's thanks comes back to you.",
                "每张卡片是一个孩子亲自挑选的一本书。捐出这本书，孩子的感谢会回到您这里。",
            ),
            "wishes_for" => (
                "wishes for",
                "想要",
            ),
            "claim_wish" => (
                "Give this book",
                "实现这个心愿",
            ),
            "sign_in_to_claim" => (
                "Sign in to give this book",
                "登录后实现这个心愿",
            ),
            "waiting_longest" => (
                "Waiting longest first",
                "等待最久的优先",
            ),
            "newest_first" => (
                "Newest first",
                "最新的优先",
            ),
            "any_grade" => (
                "Any grade",
                "任何年级",
            ),
            "any_province" => (
                "Any province",
                "任何省份",
            ),
            "show_wishes" => (
                "Show",
                "筛选",
            ),
            "no_open_wishes" => (
                "No wishes are waiting right now.",
                "目前没有等待中的心愿。",
            ),
            "n_wishes" => (
                "wishes",
                "个心愿",
            ),
            "n_answered" => (
                "answered",
                "个已实现",
            ),
            "n_arrived" => (
                "books arrived",
                "本书已送到",
            ),
            "wish_claimed" => (
                "Thank you! This book goes to the child. Please post it by the date below.",
                "谢谢您！这本书会送到这个孩子手里，请在下面的日期前寄出。",
            ),
            "wish_taken_msg" => (
                "Another donor has just answered this wish. Please choose another.",
                "刚刚有别的捐书人实现了这个心愿，请选择另一个。",
            ),
            "err_wish_refused" => (
                "This cannot be done with the wish at this stage.",
                "这个心愿现在不能这样操作。",
            ),
            "a_wish_from" => (
                "A wish from",
                "心愿来自",
            ),
            "childs_thanks" => (
                "The child's thanks",
                "孩子的感谢",
            ),
            "wish_withdrawn_note" => (
                "The school withdrew this wish; your book still goes to the school.",
                "学校撤回了这个心愿；您的书仍会送到学校。",
            ),
            "details_removed_note" => (
                "The child's details have been removed, as promised.",
                "按约定，孩子的信息已删除。",
            ),
            "my_wishes" => (
                "Children's wishes",
                "孩子的心愿",
            ),
            "add_wish_card" => (
                "Add a wish card",
                "添加心愿卡",
            ),
            "child_name" => (
                "Child's given name or nickname",
                "孩子的名字或小名",
            ),
            "child_name_hint" => (
                "Never the surname: at most two Chinese characters, or one word.",
                "不要写姓：最多两个汉字，或一个英文单词。",
            ),
            "grade" => (
                "Grade",
                "年级",
            ),
            "the_book" => (
                "The book the child chose",
                "孩子选的书",
            ),
            "or_isbn" => (
                "Or any book, by its ISBN",
                "或者输入任意一本书的 ISBN",
            ),
            "childs_sentence" => (
                "The child's own sentence: why this book (up to 60 characters)",
                "孩子自己的一句话：为什么想要这本书（最多 60 字）",
            ),
            "card_photo" => (
                "Photo of the handwritten card (if you like)",
                "手写心愿卡的照片（可不填）",
            ),
            "photo_hint" => (
                "The place and time hidden in a photo are removed before it is kept.",
                "照片中隐藏的拍摄地点和时间会在保存前删除。",
            ),
            "guardian_agreed" => (
                "The child's guardian agreed that this wish may be shown to donors",
                "孩子的监护人已同意向捐书人展示这个心愿",
            ),
            "consent_hint" => (
                "Without this tick the wish stays with your school and nobody else sees it.",
                "不勾选的话，这个心愿只留在本校，别人看不到。",
            ),
            "save_wish" => (
                "Save this wish",
                "保存心愿",
            ),
            "wish_saved" => (
                "Saved. Add the next child's wish below.",
                "已保存。可以在下面添加下一个孩子的心愿。",
            ),
            "choose_list" => (
                "Choose from a book list",
                "从推荐书目中选择",
            ),
            "record_consent" => (
                "The guardian agreed: publish it",
                "监护人已同意：发布",
            ),
            "consent_recorded" => (
                "Published: donors can now see this wish.",
                "已发布：捐书人现在可以看到这个心愿。",
            ),
            "withdraw" => (
                "Withdraw",
                "撤回",
            ),
            "withdraw_hint" => (
                "The child's name, sentence and photos are deleted.",
                "孩子的名字、那句话和照片都会被删除。",
            ),
            "withdrawn_done" => (
                "Withdrawn. The child's details are deleted.",
                "已撤回，孩子的信息已删除。",
            ),
            "record_thanks" => (
                "Record the child's thanks",
                "记录孩子的感谢",
            ),
            "thanks_sentence" => (
                "The child's thanks (up to 60 characters)",
                "孩子的感谢（最多 60 字）",
            ),
            "thanks_photo" => (
                "Photo of the thanks card (if you like)",
                "感谢卡的照片（可不填）",
            ),
            "thanks_saved" => (
                "Thank you! The thanks has been passed on to the donor.",
                "谢谢！感谢已转达给捐书人。",
            ),
            "wish_awaiting_consent" => (
                "Waiting for the guardian's consent",
                "等待监护人同意",
            ),
            "wish_open" => (
                "Waiting for a donor",
                "等待捐书人",
            ),
            "wish_claimed_status" => (
                "A donor is sending the book",
                "捐书人正在寄书",
            ),
            "wish_delivered" => (
                "The book arrived",
                "书已送到",
            ),
            "wish_withdrawn" => (
                "Withdrawn",
                "已撤回",
            ),
            "class_page" => (
                "Class page to share",
                "可分享的班级页面",
            ),
            "share_class_hint" => (
                "Scan or send this page to donors.",
                "扫码或把这个页面发给捐书人。",
            ),
            "no_wishes_yet" => (
                "No wishes yet.",
                "还没有心愿。",
            ),
            "booklists_nav" => (
                "Book lists",
                "推荐书目",
            ),
            "booklists_title" => (
                "Curated book lists",
                "推荐书目",
            ),
            "new_booklist" => (
                "New book list",
                "新建书目",
            ),
            "booklist_name" => (
                "Name",
                "名称",
            ),
            "grades_range" => (
                "Grades it suits (from – to)",
                "适合的年级（从—到）",
            ),
            "add_book_isbn" => (
                "Add a book by ISBN",
                "按 ISBN 添加书",
            ),
            "book_reason" => (
                "Why this book (one line)",
                "推荐理由（一句话）",
            ),
            "import_booklist" => (
                "Add books from a file (columns: isbn, reason)",
                "从文件添加书（列：isbn、reason）",
            ),
            "books_on_list" => (
                "books",
                "本书",
            ),
            "book_added" => (
                "Added to the list.",
                "已加入书目。",
            ),
            "add_to_curated" => ("Add to a curated list", "加入推荐书目"),
            "wishes_of_classes" => (
                "Children's wishes by class",
                "各班孩子的心愿",
            ),
            _ => (key, key),
        };
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_in_both_languages() {
        assert_eq!(Lang::Zh.t("pledge"), "捐赠");
        assert_eq!(Lang::En.t("pledge"), "Pledge");
    }
}
