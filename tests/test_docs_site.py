"""The docs site, built by the Quarto-free fallback, opened in headless Chromium: rendered text, not just files."""
import os, re
from html.parser import HTMLParser
import pytest


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
    for page in ('scaat', 'mipin', 'iba', 'gc', 'ibsgl', 'iba_canvas', 'ibsgl_ablation', 'scaat_ablation'):   # the last three: ablation pages, with the paper-size configs
        text, imgs = rendered(dump_dom, site/'papers'/f'{page}.html')
        assert 'Differences from the paper' in text and 'paper-size config' in text.lower(), page
        assert re.search(r'\bagree|\breproduced\b|\bcontradicted\b', text) and 'ours' in text.lower(), page   # the side-by-side verdicts are rendered
        assert all((site/'papers'/src).is_file() for src in imgs), page
        cut = re.findall(r'<td>([^<]*\S\.\.\.)</td>', (site/'papers'/f'{page}.html').read_text())
        assert not cut, (page, cut[:3])                                   # no claim or deviation sentence cut off by pandas
        assert f'href="{page}.html"' in html, page
    assert 'done' in overview and 'not yet written' not in overview


class _Links(HTMLParser):
    "Every href/src of a page, and the ids (and names) its elements carry."
    def __init__(self):
        super().__init__(); self.links, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.ids.update(a[k] for k in ('id', 'name') if a.get(k) and not (k == 'name' and tag == 'meta'))
        self.links += [(tag, a[k]) for k in ('href', 'src') if a.get(k) is not None]


def _local(url):
    "Whether `url` points into the site (a page, a file or an #anchor), not at another host."
    return not re.match(r'^([a-z][\w+.-]*:|//)', url, re.I)


def dead_links(site):
    "[(page, url, why)] for every local href/src of the site whose file is missing or whose #anchor is not an id of its page."
    from pathlib import Path
    from urllib.parse import urlsplit, unquote
    parsed = {}
    def parse(p):
        if p not in parsed: parsed[p] = _Links(); parsed[p].feed(p.read_text(errors='replace'))
        return parsed[p]
    dead, n = [], 0
    for page in sorted(site.rglob('*.html')):
        for tag, url in parse(page).links:
            if not _local(url): continue
            n += 1
            u = urlsplit(url)
            target = Path(page.parent, unquote(u.path)).resolve() if u.path else page
            if target.is_dir(): target = target/'index.html'
            if not target.is_file(): dead.append((page.relative_to(site).as_posix(), url, 'no such file')); continue
            if u.fragment and target.suffix == '.html' and unquote(u.fragment) not in parse(target).ids:
                dead.append((page.relative_to(site).as_posix(), url, 'no such id in the page'))
    return dead, n


def test_no_dead_internal_links(site):
    "Every link and source in the site to a local page, file or #anchor resolves, anchors to an id of the target page."
    dead, n = dead_links(site)
    assert n > 1000, n                              # the pages and their cross-references were all seen
    assert not dead, f'{len(dead)} of {n} internal links are dead, e.g. {dead[:10]}'


def test_dead_link_check_catches_bad_links(tmp_path):
    "The check itself: a missing page, a missing anchor and the renderer's old `#../page.html#x` form are each reported."
    (tmp_path/'api').mkdir()
    (tmp_path/'api'/'a.html').write_text('<h2 id="gradcam">GradCAM</h2><a href="b.html#x">x</a><a href="#../api/a.html#gradcam">y</a>'
                                         '<a href="a.html#gradcam">ok</a><a href="https://example.org/#nope">ext</a><img src="c.png">')
    (tmp_path/'api'/'b.html').write_text('<p id="y">b</p><a href="../api/a.html">up</a>')
    dead, n = dead_links(tmp_path)
    assert n == 5 and sorted(u for _, u, _ in dead) == ['#../api/a.html#gradcam', 'b.html#x', 'c.png'], dead


def test_links_to_notebooks_and_members():
    "The renderer points links to notebooks at their pages and Quarto's anchors at Sphinx's ids (a member without an entry at its owner's)."
    import docs_fallback as d
    pages = {'papers/03_iba.ipynb': 'papers/iba.html', 'api/13_attr.iba.ipynb': 'api/attr.iba.html'}
    ids = {'api/attr.iba.html': {'estimator', 'estimator-fit', 'fullgrad-terms'}}
    s = '[a](03_iba.ipynb) [b](../api/attr.iba.html#Estimator.fit) [c](../api/attr.iba.html#estimator.update) [d](../api/attr.iba.html#fullgrad_terms) `x](y)`'
    assert d.local_links(s, 'papers/00_overview.ipynb', pages, ids=ids) == \
        '[a](iba.html) [b](../api/attr.iba.html#estimator-fit) [c](../api/attr.iba.html#estimator) [d](../api/attr.iba.html#fullgrad-terms) `x](y)`'
    assert d.local_links('[a](papers/03_iba.ipynb#Table.4)', 'index.ipynb', pages, sphinx_ids=False) == '[a](papers/iba.html#Table.4)'


def _math_pages(site):
    return sorted(p for p in site.rglob('*.html') if 'class="math' in p.read_text())


def test_math_is_served_by_the_site(site):
    "Every script, stylesheet and image a page loads comes from the site itself, MathJax included, with its licence beside it."
    import docs_fallback
    if docs_fallback.find_mathjax() is None:
        msg = f'MathJax not installed (npm install --prefix ~/.cache/salnb/npm mathjax@{docs_fallback.MATHJAX_VERSION})'
        if os.environ.get('SALNB_REQUIRE_CHROMIUM') == '1': pytest.fail(msg)
        pytest.skip(msg)
    pages = _math_pages(site)
    assert len(pages) >= 5, pages
    for page in site.rglob('*.html'):
        html = page.read_text()
        loads = re.findall(r'<script[^>]*\ssrc="([^"]*)"', html) + re.findall(r'<img[^>]*\ssrc="([^"]*)"', html) \
              + re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]*)"', html)
        assert all(_local(u) for u in loads), (page, [u for u in loads if not _local(u)])
        assert 'cdn.' not in html and 'mathjax@' not in html, page
    for page in pages:
        assert re.search(r'<script[^>]*src="(\.\./)*_static/mathjax/tex-mml-chtml\.js', page.read_text()), page
    assert (site/'_static'/'mathjax'/'LICENSE').is_file() and (site/'_static'/'mathjax'/'output'/'chtml'/'fonts').is_dir()


def test_math_typesets_offline(site, dump_dom):
    "With every host unreachable, MathJax typesets each formula of a page: no raw TeX is left in the rendered text."
    import docs_fallback, subprocess
    from conftest import chromium, CHROMIUM_FLAGS
    if docs_fallback.find_mathjax() is None: pytest.skip('MathJax not installed (see test_math_is_served_by_the_site)')
    page = site/'api'/'losses.html'
    n_math = len(re.findall(r'class="math notranslate', page.read_text()))
    assert n_math >= 5
    r = subprocess.run([chromium(), *CHROMIUM_FLAGS, '--host-resolver-rules=MAP * ~NOTFOUND', '--virtual-time-budget=10000',
                        '--dump-dom', page.as_uri()], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert len(re.findall(r'<mjx-container[^>]*jax="CHTML"', r.stdout)) >= n_math    # each formula typeset
    text = _Text(); text.feed(r.stdout)
    visible = ' '.join(text.parts)
    assert '\\(' not in visible and '\\[' not in visible and '\\frac' not in visible, re.findall(r'.{40}\\\(.{40}', visible)[:3]


def test_footer_tables_and_html_outputs(site, dump_dom):
    "The footer names the licence; pandas tables are HTML tables styled by nbs/styles.css; a live widget is described, not shown as its repr."
    text, _ = rendered(dump_dom, site/'index.html')
    assert '© 2026 salnb developers, Apache-2.0' in text
    css = (site/'_static'/'styles.css').read_text()
    assert 'table.dataframe' in css
    html = dump_dom((site/'papers'/'gc.html').as_uri())
    assert 'styles.css' in html and len(re.findall(r'<table[^>]*class="dataframe', html)) >= 3   # rendered, not escaped
    assert '&lt;table' not in html and '&lt;div' not in html
    explorer, _ = rendered(dump_dom, site/'api'/'viz_explorer.html')
    assert 'HBox(children' not in explorer


def test_outputs_converted():
    "HTML and markdown outputs stay HTML/markdown with their links fixed; a widget's view becomes a note (its JS would need a CDN and a kernel)."
    import nbformat, docs_fallback as d
    out = lambda data: nbformat.v4.new_output('execute_result', data=data)
    code = nbformat.v4.new_code_cell('x', outputs=[out({'text/html': '<b>bold</b> <a href="https://salnb.github.io/salnb/api/core.html#Explainer.explain">e</a>'}),
                                                   out({'application/vnd.jupyter.widget-view+json': {'model_id': 'a'}, 'text/plain': 'HBox(children=())'})])
    _, nb2 = d.convert(nbformat.v4.new_notebook(cells=[code]), 1, 'https://salnb.github.io/salnb/', 'api/50_viz.ipynb')
    o1, o2 = nb2.cells[0].outputs
    assert o1.data['text/html'] == '<b>bold</b> <a href="../api/core.html#explainer-explain">e</a>'
    assert list(o2.data) == ['text/html'] and 'Interactive widget' in o2.data['text/html']


def test_gallery_page(site, dump_dom):
    "The gallery shows one figure with a row per method family, its table, and sits in the sidebar right after the home page."
    text, imgs = rendered(dump_dom, site/'gallery.html')
    for family in ('SmoothGrad', 'GradCAM', 'Occlusion', 'LRPAlpha1Beta0', 'IBA', 'MIPIN'):
        assert family in text, family
    assert len(imgs) >= 1 and all((site/src).is_file() for src in imgs if not src.startswith('_static')), imgs
    assert 'share of the image in the box' in text
    home, _ = rendered(dump_dom, site/'index.html')
    assert 'Gallery' in home
