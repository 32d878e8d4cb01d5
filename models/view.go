package models

import (
	"encoding/binary"
	"unsafe"
)

// Reading arrays in place. A model file's arrays are little-endian 4-byte numbers; on a little-endian
// machine, from a 4-byte aligned address, the bytes already are the []float32 or []uint32 Go wants, and
// the model can read them where they are: the built-in model's 5 MB are then the executable's own
// read-only pages, mapped when first touched, instead of a copy the process must fault in page by page
// before scoring its first article (that copy, the vocabulary's map and its strings were 100 of the
// 120 ms of a classify command). Format 2 aligns its arrays to 8 bytes in the file; a misaligned array
// (format 1, or a buffer at an odd address) is decoded into a new slice instead, with the same values.

var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// view returns the little-endian 4-byte numbers of b (whose length must be a multiple of 4), in place
// when it can: the slice then aliases b, which must never change afterwards.
func view[T int32 | uint32 | float32](b []byte) ([]T, error) {
	if len(b)%4 != 0 {
		return nil, ErrCorrupt
	}
	n := len(b) / 4
	if n == 0 {
		return []T{}, nil
	}
	p := unsafe.Pointer(unsafe.SliceData(b))
	if littleEndian && uintptr(p)%4 == 0 {
		return unsafe.Slice((*T)(p), n), nil
	}
	out := make([]T, n)
	for i := range out {
		u := binary.LittleEndian.Uint32(b[4*i:])
		out[i] = *(*T)(unsafe.Pointer(&u))
	}
	return out, nil
}

func encodeUint32s(xs []uint32) []byte {
	b := make([]byte, 4*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint32(b[4*i:], x)
	}
	return b
}
