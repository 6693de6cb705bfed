"""The public portal in a real browser: the seed article with its photos, the library, search without
diacritics, results, certificate check; an accessibility check on every page; the pages work without JavaScript.

The accessibility check is ours (no axe offline): html lang="vi", one h1, headings without skipped levels, every
form field labelled, every image with alt, every link and button with a name, and WCAG contrast (4.5:1, 3:1 for
large text) of the text in the page computed from the rendered colours."""

import re

import pytest
from playwright.sync_api import expect

from lienhiep.devdata.demo import DEMO_PASSWORD
from lienhiep.portal.models import Certificate

pytestmark = pytest.mark.browser

A11Y_CHECK = """
() => {
  const problems = [];
  if (document.documentElement.lang !== 'vi') problems.push('html lang is ' + document.documentElement.lang);
  const h1 = document.querySelectorAll('h1');
  if (h1.length !== 1) problems.push(h1.length + ' h1 elements');
  let previous = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (previous && level > previous + 1) problems.push('heading jumps to h' + level + ': ' + h.textContent.trim());
    previous = level;
  }
  for (const field of document.querySelectorAll('input:not([type=hidden]):not([type=submit]), select, textarea')) {
    const label = (field.id && document.querySelector('label[for="' + field.id + '"]')) || field.closest('label')
      || field.getAttribute('aria-label') || field.getAttribute('aria-labelledby');
    if (!label) problems.push('field without label: ' + (field.name || field.id));
  }
  for (const img of document.querySelectorAll('img')) if (!img.hasAttribute('alt')) problems.push('image without alt');
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.closest('[aria-hidden=true]')) continue;
    const name = a.textContent.trim() || a.getAttribute('aria-label')
      || [...a.querySelectorAll('img')].map(i => i.alt).join('');
    if (!name) problems.push('link without a name: ' + a.getAttribute('href'));
  }
  for (const b of document.querySelectorAll('button')) {
    if (!(b.textContent.trim() || b.getAttribute('aria-label'))) problems.push('button without a name');
  }
  const channels = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const luminance = rgb => {
    const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = channels(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const selector = 'main p, main a, main li, main td, main th, main dt, main dd, main h1, main h2, main h3, main label,'
    + ' main button, main figcaption, main mark, main .badge, nav a, footer';
  for (const el of document.querySelectorAll(selector)) {
    if (!el.textContent.trim()) continue;
    if (el.closest('.visually-hidden, .visually-hidden-focusable, [hidden], .dropdown-menu')) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const style = getComputedStyle(el);
    const back = background(el);
    let fore = channels(style.color);
    if (fore.length === 4) fore = fore.slice(0, 3).map((v, i) => v * fore[3] + back[i] * (1 - fore[3]));
    const [l1, l2] = [luminance(fore.slice(0, 3)), luminance(back)];
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      const text = el.textContent.trim().slice(0, 40);
      problems.push('contrast ' + ratio.toFixed(2) + ' on ' + el.tagName + ' "' + text + '"');
    }
  }
  return problems;
}
"""


def accessible(page) -> None:
    problems = page.evaluate(A11Y_CHECK)
    assert problems == [], f"{page.url}: {problems}"


def test_public_portal_in_vietnamese_is_accessible(live_server, page, screenshot, demo):
    base = f"{live_server.url}/kontum"
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{base}/")
    expect(page.locator("main")).to_contain_text("48/2017/QĐ-UBND")
    expect(page.locator("nav.navbar")).to_contain_text("Tin tức")
    expect(page.locator("nav.navbar #nav-q")).to_be_visible()
    accessible(page)
    screenshot(page, "portal-home")
    page.fill("#nav-q", "dak to")
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_contain_text("Đăk Tô")
    page.goto(f"{base}/")

    page.get_by_role("link", name="Tin tức").first.click()
    expect(page.locator("main h2").first).to_have_text(
        "Liên hiệp các Hội KH&KT tỉnh làm việc với lãnh đạo các địa phương"
    )
    accessible(page)
    screenshot(page, "portal-news-list")

    page.get_by_role("link", name="Liên hiệp các Hội KH&KT tỉnh làm việc với lãnh đạo các địa phương").first.click()
    expect(page.locator("h1")).to_have_text("Liên hiệp các Hội KH&KT tỉnh làm việc với lãnh đạo các địa phương")
    captions = page.locator("figcaption")
    expect(captions).to_have_count(2)
    expect(captions.nth(0)).to_contain_text("Quang cảnh làm việc tại huyện Đăk Tô. Ảnh: QM")
    expect(captions.nth(1)).to_contain_text("Quang cảnh làm việc tại huyện Tu Mơ Rông. Ảnh: QM")
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    expect(page.locator("main")).to_contain_text("Quang Mạnh")
    accessible(page)
    screenshot(page, "portal-article")

    for query, expected in [
        ("tu mo rong", "Liên hiệp các Hội KH&KT tỉnh làm việc với lãnh đạo các địa phương"),
        ("dak to", "Kế hoạch tư vấn, phản biện và giám định xã hội năm 2022"),
        ("48/2017", "Quyết định 48/2017/QĐ-UBND"),
        ("phan bien", "Quyết định 14/2014/QĐ-TTg"),
    ]:
        page.goto(f"{base}/search/")
        page.fill("#q", query)
        page.keyboard.press("Enter")
        expect(page.locator("#results")).to_contain_text(expected)
        expect(page.locator("#results mark").first).to_be_visible()
    expect(page.locator("#results")).not_to_contain_text("bản nháp")
    accessible(page)
    screenshot(page, "portal-search-phan-bien")

    page.goto(f"{base}/documents/?issuer=Th%E1%BB%A7+t%C6%B0%E1%BB%9Bng+Ch%C3%ADnh+ph%E1%BB%A7")
    expect(page.locator("tbody")).to_contain_text("14/2014/QĐ-TTg")
    expect(page.locator("tbody")).not_to_contain_text("48/2017/QĐ-UBND")
    accessible(page)
    screenshot(page, "portal-documents-filtered")

    page.goto(f"{base}/results/")
    expect(page.locator("main")).to_contain_text("dữ liệu minh họa")
    expect(page.locator("main")).not_to_contain_text("bản nháp, chưa công bố")
    accessible(page)
    with page.expect_navigation():  # checking before the result page has replaced the list found no document
        page.locator("main h2 a").first.click()
    accessible(page)
    screenshot(page, "portal-result")

    valid = Certificate.objects.get(revoked_at__isnull=True, holder_name="Nguyễn Thị Ánh")
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    page.goto(f"{base}/certificates/")
    accessible(page)
    page.fill("input[name=code]", valid.display_code().lower())
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator(".alert-success")).to_contain_text("Giấy chứng nhận này là thật.")
    expect(page.locator(".alert-success")).to_contain_text("Nguyễn Thị Ánh")
    accessible(page)
    screenshot(page, "portal-certificate-valid")
    page.goto(f"{base}/certificates/{revoked.code}/")
    expect(page.locator(".alert-danger")).to_contain_text("đã bị thu hồi")
    screenshot(page, "portal-certificate-revoked")
    page.goto(f"{base}/certificates/ABCDEFGHJKLM/")
    expect(page.locator(".alert-danger")).to_contain_text("Không có giấy chứng nhận nào mang mã này.")
    accessible(page)
    screenshot(page, "portal-certificate-unknown")
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors


def test_public_pages_work_without_javascript(live_server, browser, screenshot, demo):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/kontum/search/?q=dak+to")
    expect(page.locator("#results")).to_contain_text("Đăk Tô")
    page.fill("#q", "tu mo rong")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r".*q=tu\+mo\+rong.*"))
    expect(page.locator("#results")).to_contain_text("Tu Mơ Rông")
    screenshot(page, "portal-search-phone-no-js")
    page.goto(f"{live_server.url}/kontum/news/")
    page.locator("main h2 a").first.click()
    expect(page.locator("figcaption").first).to_contain_text("Ảnh: QM")
    screenshot(page, "portal-article-phone-no-js")
    context.close()


def test_staff_write_review_and_publish_an_article(live_server, page, screenshot, demo):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", "canbo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/kontum/app/")
    expect(page.locator("#portal-heading")).to_have_text("Trang công khai")
    screenshot(page, "portal-dashboard-staff")
    page.goto(f"{live_server.url}/kontum/app/news/new/")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    page.fill("input[name=title]", "Hội thảo phản biện đề án ở Đăk Tô")
    page.fill("textarea[name=lead]", "Liên hiệp hội tổ chức hội thảo.")
    page.fill("textarea[name=body]", 'Đoạn một.<script>alert(1)</script>\n\n<p onclick="x()">Đoạn hai.</p>')
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Hội thảo phản biện đề án ở Đăk Tô")
    page.get_by_role("button", name="Gửi duyệt").click()
    page.get_by_role("button", name="Đăng").click()
    expect(page.locator("main")).to_contain_text("Đã đăng")
    expect(page.locator(".article-body")).not_to_contain_text("alert")
    screenshot(page, "portal-article-manage")
    page.goto(f"{live_server.url}/kontum/search/?q=hoi+thao+dak+to")
    expect(page.locator("#results")).to_contain_text("Hội thảo phản biện đề án ở Đăk Tô")


def test_the_accessibility_check_catches_what_it_checks(page):
    """The check itself, on a page made to fail each rule once."""
    page.set_content(
        '<html lang="en"><body><main><h1>A</h1><h1>B</h1><h4>skip</h4><input name="q"><img src="x.png">'
        '<a href="/x"></a><button></button><p class="grey">faint</p></main></body></html>'
    )
    page.add_style_tag(content=".grey { color: #bbbbbb; background: #ffffff; }")
    problems = " | ".join(page.evaluate(A11Y_CHECK))
    for expected in [
        "html lang is en",
        "2 h1 elements",
        "heading jumps to h4",
        "field without label: q",
        "image without alt",
        "link without a name",
        "button without a name",
        "contrast 1.9",
    ]:
        assert expected in problems, (expected, problems)
