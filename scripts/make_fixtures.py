"""Write the small real fixtures in tests_data/ (run from the repo root; deterministic).
Images are crops of scikit-image's bundled photographs (chelsea: public domain, coffee: CC0);
annotations are hand-placed boxes/polygons in PASCAL-VOC XML and COCO instances JSON."""
import json
from pathlib import Path
import numpy as np
from PIL import Image
from skimage import data, draw

root = Path(__file__).resolve().parents[1]/'tests_data'

def save(img, path, size):
    path.parent.mkdir(parents=True, exist_ok=True)
    im = Image.fromarray(img).resize(size, Image.BILINEAR); im.save(path, quality=90)
    return im.size  # (W, H)

def voc(path, fname, W, H, objs):
    path.parent.mkdir(parents=True, exist_ok=True)
    o = ''.join(f"<object><name>{n}</name><bndbox><xmin>{b[0]}</xmin><ymin>{b[1]}</ymin><xmax>{b[2]}</xmax>"
                f"<ymax>{b[3]}</ymax></bndbox></object>" for n, b in objs)
    path.write_text(f"<annotation><filename>{fname}</filename><size><width>{W}</width><height>{H}</height>"
                    f"<depth>3</depth></size>{o}</annotation>\n")

cat, coffee = data.chelsea(), data.coffee()        # 300×451, 400×600
inet = root/'imagenet'
# ImageNet layout: train/<wnid>/<file>, boxes/<file stem>.xml (VOC, 1-based inclusive)
W, H = save(cat[:, 60:420], inet/'train/n02123045/cat_0.jpg', (120, 100))
voc(inet/'boxes/cat_0.xml', 'cat_0', W, H, [('n02123045', (21, 11, 100, 95))])     # most of the image (> 33 %)
W, H = save(cat[120:300, 150:330], inet/'train/n02123045/cat_1.jpg', (90, 90))
voc(inet/'boxes/cat_1.xml', 'cat_1', W, H, [('n02123045', (20, 15, 60, 50))])
W, H = save(coffee[50:350, 100:500], inet/'train/n07920052/coffee_0.jpg', (120, 90))
voc(inet/'boxes/coffee_0.xml', 'coffee_0', W, H, [('n07920052', (30, 20, 75, 60))])
(inet/'train/n07920052/no_box.jpg').write_bytes((inet/'train/n07920052/coffee_0.jpg').read_bytes())  # unannotated: skipped

# COCO layout: images/<file>, instances.json with one polygon, one uncompressed RLE
coco = root/'coco'
W, H = save(coffee[:, 50:550], coco/'images/000001.jpg', (100, 80))
poly = [30, 20, 60, 20, 70, 30, 70, 55, 60, 65, 30, 65, 22, 55, 22, 30]   # flat-sided octagon, integer vertices
xs, ys = poly[0::2], poly[1::2]
m = np.zeros((H, W), bool); rr, cc = draw.ellipse(40, 82, 8, 6, shape=(H, W)); m[rr, cc] = True
flat = m.T.reshape(-1); counts, cur, n = [], False, 0
for v in flat:
    if v == cur: n += 1
    else: counts.append(n); cur, n = v, 1
counts.append(n)
r, c = np.nonzero(m)
anns = [dict(id=1, image_id=1, category_id=47, iscrowd=0, segmentation=[poly],
             bbox=[min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)], area=0),
        dict(id=2, image_id=1, category_id=17, iscrowd=1, segmentation=dict(counts=counts, size=[H, W]),
             bbox=[int(c.min()), int(r.min()), int(c.max() - c.min() + 1), int(r.max() - r.min() + 1)], area=int(m.sum()))]
(coco/'instances.json').write_text(json.dumps(dict(
    images=[dict(id=1, file_name='000001.jpg', height=H, width=W)], annotations=anns,
    categories=[dict(id=17, name='cat'), dict(id=47, name='cup')]), indent=1))
print('fixtures written under', root)
