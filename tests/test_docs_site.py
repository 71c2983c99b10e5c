"""The docs site, built by the Quarto-free fallback, opened in headless Chromium: rendered text, not just files."""
import re
from html.parser import HTMLParser


class _Text(HTMLParser):
    "Visible text of a page, and its <img> sources."
    def __init__(self):
        super().__init__(); self.parts, self.imgs, self._skip = [], [], 0
    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'style'): self._skip += 1
        if tag == 'img': self.imgs.append(dict(attrs).get('src', ''))
    def handle_endtag(self, tag):
        if tag in ('script', 'style'): self._skip -= 1
    def handle_data(self, d):
        if not self._skip: self.parts.append(d)


def rendered(dump_dom, path):
    p = _Text(); p.feed(dump_dom(path.as_uri()))
    return re.sub(r'\s+', ' ', ' '.join(p.parts)), p.imgs


def test_index_page(site, dump_dom):
    text, imgs = rendered(dump_dom, site/'index.html')
    assert 'Set up and run' in text and 'salnb demo' in text
    for page in ('Data', 'Models', 'Testing utilities', 'Command line'):   # the sidebar lists every notebook
        assert page in text, page
    assert imgs and all((site/src).is_file() for src in imgs if not src.startswith('http')), imgs
    assert any('demo' in src for src in imgs)


def test_api_page(site, dump_dom):
    text, imgs = rendered(dump_dom, site/'api'/'data.html')
    assert 'Cluttered localization set' in text
    assert 'load_fashion_mnist' in text and 'Fashion-MNIST images and labels, read offline.' in text  # rendered show_doc
    assert re.search(r'def make_composites \( x : Tensor', text), 'show_doc signature not rendered'
    assert len(imgs) >= 3 and all((site/'api'/src).is_file() for src in imgs)  # figures from cell outputs


def test_search(site, dump_dom):
    html = dump_dom((site/'search.html').as_uri() + '?q=composites', budget_ms=8000)
    assert 'api/data.html' in html and re.search(r'found \d+ page', html)


def test_paper_page(site, dump_dom):
    text, imgs = rendered(dump_dom, site/'papers'/'gc.html')
    assert 'consistent interpretations' in text.lower() and 'Differences' in text
    assert re.search(r'GMP \+ GC', text)                       # the results table, rendered from the committed JSON
    assert len(imgs) >= 1 and all((site/'papers'/src).is_file() for src in imgs)   # its figures


def test_every_paper_page(site, dump_dom):
    "Each paper's page renders its claim, its results tables from the committed JSON and its differences section, and the overview links to it."
    overview, _ = rendered(dump_dom, site/'papers'/'overview.html')
    html = (site/'papers'/'overview.html').read_text()
    for page in ('scaat', 'mipin', 'iba', 'gc', 'ibsgl'):
        text, imgs = rendered(dump_dom, site/'papers'/f'{page}.html')
        assert 'Differences from the paper' in text and 'paper-size config' in text.lower(), page
        assert re.search(r'\bagree', text) and 'ours' in text.lower(), page          # the side-by-side verdicts are rendered
        assert all((site/'papers'/src).is_file() for src in imgs), page
        assert f'href="{page}.html"' in html, page
    assert 'done' in overview and 'not yet written' not in overview
