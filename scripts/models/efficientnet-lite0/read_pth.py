#!/usr/bin/env python3
"""Reads a PyTorch checkpoint saved in the legacy (pre-zip) format without PyTorch, using only
numpy, and writes its tensors as one float32 blob plus a JSON index the Node converter reads.

    python3 read_pth.py <model.pth> <out-dir>

Format (torch/serialization.py, legacy_load): five pickles — magic number, protocol version,
system info, the state dict whose tensors reference storages by key, the list of storage keys —
then each storage as int64 element count followed by its raw little-endian elements.
"""
import collections
import json
import pickle
import struct
import sys
from pathlib import Path

import numpy as np

DTYPES = {
    'FloatStorage': np.float32,
    'DoubleStorage': np.float64,
    'HalfStorage': np.float16,
    'LongStorage': np.int64,
    'IntStorage': np.int32,
}
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


def load(path):
    storage_types = {}

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if name in ('_rebuild_tensor_v2', '_rebuild_tensor'):
                return lambda storage, offset, size, stride, *rest: (storage, offset, tuple(size), tuple(stride))
            if module == 'collections' and name == 'OrderedDict':
                return collections.OrderedDict
            if module.startswith('torch') and name.endswith('Storage'):
                return name
            raise pickle.UnpicklingError(f'refusing to load {module}.{name}: not a plain state dict')

        def persistent_load(self, pid):
            _, storage_type, key, _location, _numel, _view = pid
            storage_types.setdefault(key, storage_type)
            return key

    with open(path, 'rb') as f:
        if pickle.load(f) != LEGACY_MAGIC:
            raise SystemExit(f'{path}: not a legacy-format PyTorch checkpoint')
        pickle.load(f)  # protocol version
        pickle.load(f)  # system info
        state = Unpickler(f).load()
        keys = pickle.load(f)
        storages = {}
        for key in keys:
            (count,) = struct.unpack('<q', f.read(8))
            dtype = np.dtype(DTYPES[storage_types[key]])
            storages[key] = np.frombuffer(f.read(count * dtype.itemsize), dtype=dtype)

    tensors = collections.OrderedDict()
    for name, (key, offset, size, stride) in state.items():
        base = storages[key]
        if not size:
            tensors[name] = base[offset:offset + 1].reshape(())
            continue
        view = np.lib.stride_tricks.as_strided(base[offset:], shape=size, strides=[s * base.itemsize for s in stride])
        tensors[name] = np.array(view)
    return tensors


def main():
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    index, offset = [], 0
    with open(out / 'tensors.f32', 'wb') as blob:
        for name, array in load(source).items():
            if array.dtype.kind != 'f':
                continue  # batch-norm counters
            data = np.ascontiguousarray(array, dtype='<f4')
            blob.write(data.tobytes())
            index.append({'name': name, 'shape': list(array.shape), 'offset': offset})
            offset += data.size
    (out / 'tensors.json').write_text(json.dumps(index))
    print(f'{out}: {len(index)} tensors, {offset} floats')


if __name__ == '__main__':
    main()
