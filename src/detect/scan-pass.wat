;; One pass over a chunk's bytes, 64 at a time in four SIMD vectors, for what the detector's
;; outermost layer would otherwise find in four memchr-driven searches and a sampling loop
;; (src/detect/scan-pass.ts calls it; compiled by scripts/wat.js with wabt at build time).
;;
;; Memory, laid out by the caller:
;;   [0, 4)        out: the first NUL's offset, or -1
;;   [4, 8)        out: hits written
;;   [8, 12)       out: runs written
;;   [12, 14)      in: how many literals are looked for before the first NUL
;;   [14, 16)      in: how many from the first NUL on (at most LITERALS in scan-pass.ts): those
;;                 after the first count hold a NUL (UTF-16), so none starts before the byte
;;                 before the first NUL, and text without a NUL never pays for them
;;   [16, 16+48k)  in, literal k (k < 8): its first byte in 16 lanes, its last byte in 16 lanes, then
;;                 its length (i32) and its bytes (at most 12; the last not a NUL)
;;   [1024, +len)  in: the chunk, followed by 256 zero bytes (the caller writes them): vectors
;;                 read past the end see NULs, which are neither literals' bytes nor base64
;;   hits          out: (offset << 3 | k) for each whole literal k, in order of offset per k
;;   runs          out: pairs [a, b): every offset p in them has bytes p..p+24 all base64
;;                 sample bytes (SAMPLE_BYTE in encodings.ts), and no other offset has
(module
  (memory (export "memory") 1)

  ;; Whole literal $k at $at (its first and last bytes are known to match).
  (func $holds (param $at i32) (param $k i32) (result i32)
    (local $lit i32) (local $i i32) (local $last i32)
    (local.set $lit (i32.add (i32.const 16) (i32.mul (local.get $k) (i32.const 48))))
    (local.set $last (i32.sub (i32.load offset=32 (local.get $lit)) (i32.const 1)))
    (local.set $i (i32.const 1))
    (block $no
      (loop $bytes
        (br_if $no (i32.ge_s (local.get $i) (local.get $last)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $at) (local.get $i)))
                    (i32.load8_u offset=36 (i32.add (local.get $lit) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $bytes)))
    (i32.const 1))

  ;; Whole literals $k among the 16 bytes at $at whose first and last bytes match ($m), written at
  ;; $hits[$n...]; returns the new count, or -1 once $cap is reached (scan then returns -1 too).
  (func $verify (param $m i32) (param $at i32) (param $k i32) (param $hits i32) (param $n i32) (param $cap i32) (result i32)
    (local $p i32)
    (block $done
      (loop $bits
        (br_if $done (i32.eqz (local.get $m)))
        (local.set $p (i32.add (local.get $at) (i32.ctz (local.get $m))))
        (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
        (if (call $holds (local.get $p) (local.get $k))
          (then
            (if (i32.ge_u (local.get $n) (local.get $cap)) (then (return (i32.const -1))))
            (i32.store (i32.add (local.get $hits) (i32.shl (local.get $n) (i32.const 2)))
              (i32.or (i32.shl (i32.sub (local.get $p) (i32.const 1024)) (i32.const 3)) (local.get $k)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (br $bits)))
    (local.get $n))

  (func (export "scan") (param $len i32) (param $hits i32) (param $hitCap i32) (param $runs i32) (param $runCap i32) (result i32)
    (local $at i32) (local $end i32) (local $nul i32) (local $n i32) (local $r i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $any v128) (local $k i32) (local $lits i32) (local $lit i32) (local $first v128) (local $lastb v128) (local $off i32) (local $a i32)
    (local $nibble v128) (local $byLow v128) (local $byHigh v128) (local $zeros i64)
    (local $lo i64) (local $hi i64) (local $m i64) (local $inRun i32) (local $t i64) (local $base i32)
    (local.set $nul (i32.const -1))
    (local.set $lits (i32.load16_u (i32.const 12)))
    (local.set $at (i32.const 1024))
    (local.set $end (i32.add (i32.const 1024) (local.get $len)))
    (local.set $nibble (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    ;; Bits of a byte's class, looked up by its low and its high nibble (swizzle); the two
    ;; lookups share a bit only for A-Z a-z 0-9 + / and \.
    ;;   bit 0: 0x41-0x4f, 0x61-0x6f   bit 1: 0x30-0x39   bit 2: 0x50-0x5a, 0x70-0x7a
    ;;   bit 3: 0x2b, 0x2f             bit 4: 0x5c
    (local.set $byLow (v128.const i8x16 0x06 0x07 0x07 0x07 0x07 0x07 0x07 0x07 0x07 0x07 0x05 0x09 0x11 0x01 0x01 0x09))
    (local.set $byHigh (v128.const i8x16 0 0 0x08 0x02 0x01 0x14 0x01 0x04 0 0 0 0 0 0 0 0))
    (block $stop
      (loop $blocks
        ;; One block past the chunk's last: each block's runs are found with the next block's class bits.
        (br_if $stop (i32.ge_u (local.get $at) (i32.add (local.get $end) (i32.const 64))))
        (local.set $v0 (v128.load (local.get $at)))
        (local.set $v1 (v128.load offset=16 (local.get $at)))
        (local.set $v2 (v128.load offset=32 (local.get $at)))
        (local.set $v3 (v128.load offset=48 (local.get $at)))

        ;; The first NUL (the zeros after the chunk stop this at its end at the latest).
        (if (i32.lt_s (local.get $nul) (i32.const 0))
          (then
            (if (i32.eqz (i8x16.all_true (i8x16.min_u (i8x16.min_u (local.get $v0) (local.get $v1))
                                                      (i8x16.min_u (local.get $v2) (local.get $v3)))))
              (then
                (local.set $m
                  (i64.or
                    (i64.or
                      (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v0) (v128.const i64x2 0 0))))
                      (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v1) (v128.const i64x2 0 0)))) (i64.const 16)))
                    (i64.or
                      (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v2) (v128.const i64x2 0 0)))) (i64.const 32))
                      (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v3) (v128.const i64x2 0 0)))) (i64.const 48)))))
                (local.set $nul (i32.add (i32.sub (local.get $at) (i32.const 1024)) (i32.wrap_i64 (i64.ctz (local.get $m)))))))
            ;; From the block holding the first NUL, or the one before when it is the next block's first byte.
            (if (i32.or (i32.ge_s (local.get $nul) (i32.const 0)) (i32.eqz (i32.load8_u offset=64 (local.get $at))))
              (then (local.set $lits (i32.load16_u (i32.const 14)))))))

        ;; Literals: first and last byte compared in every lane, all literals' matches gathered in
        ;; one vector; where any, each literal's are taken again and the rest of its bytes checked.
        (local.set $any (v128.const i64x2 0 0))
        (local.set $k (i32.const 0))
        (block $litsDone
          (loop $eachLit
            (br_if $litsDone (i32.ge_u (local.get $k) (local.get $lits)))
            (local.set $lit (i32.add (i32.const 16) (i32.mul (local.get $k) (i32.const 48))))
            (local.set $first (v128.load (local.get $lit)))
            (local.set $lastb (v128.load offset=16 (local.get $lit)))
            (local.set $a (i32.add (local.get $at) (i32.sub (i32.load offset=32 (local.get $lit)) (i32.const 1))))
            (local.set $any
              (v128.or (local.get $any)
                (v128.or
                  (v128.or (v128.and (i8x16.eq (local.get $v0) (local.get $first)) (i8x16.eq (v128.load (local.get $a)) (local.get $lastb))) (v128.and (i8x16.eq (local.get $v1) (local.get $first)) (i8x16.eq (v128.load offset=16 (local.get $a)) (local.get $lastb))))
                  (v128.or (v128.and (i8x16.eq (local.get $v2) (local.get $first)) (i8x16.eq (v128.load offset=32 (local.get $a)) (local.get $lastb))) (v128.and (i8x16.eq (local.get $v3) (local.get $first)) (i8x16.eq (v128.load offset=48 (local.get $a)) (local.get $lastb)))))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $eachLit)))
        (if (v128.any_true (local.get $any))
          (then
            (local.set $k (i32.const 0))
            (block $verified
              (loop $eachHit
                (br_if $verified (i32.ge_u (local.get $k) (local.get $lits)))
                (local.set $lit (i32.add (i32.const 16) (i32.mul (local.get $k) (i32.const 48))))
                (local.set $first (v128.load (local.get $lit)))
                (local.set $lastb (v128.load offset=16 (local.get $lit)))
                (local.set $a (i32.add (local.get $at) (i32.sub (i32.load offset=32 (local.get $lit)) (i32.const 1))))
                (local.set $n (call $verify (i8x16.bitmask (v128.and (i8x16.eq (local.get $v0) (local.get $first)) (i8x16.eq (v128.load (local.get $a)) (local.get $lastb))))
                  (i32.add (local.get $at) (i32.const 0)) (local.get $k) (local.get $hits) (local.get $n) (local.get $hitCap)))
                (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const -1))))
                (local.set $n (call $verify (i8x16.bitmask (v128.and (i8x16.eq (local.get $v1) (local.get $first)) (i8x16.eq (v128.load offset=16 (local.get $a)) (local.get $lastb))))
                  (i32.add (local.get $at) (i32.const 16)) (local.get $k) (local.get $hits) (local.get $n) (local.get $hitCap)))
                (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const -1))))
                (local.set $n (call $verify (i8x16.bitmask (v128.and (i8x16.eq (local.get $v2) (local.get $first)) (i8x16.eq (v128.load offset=32 (local.get $a)) (local.get $lastb))))
                  (i32.add (local.get $at) (i32.const 32)) (local.get $k) (local.get $hits) (local.get $n) (local.get $hitCap)))
                (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const -1))))
                (local.set $n (call $verify (i8x16.bitmask (v128.and (i8x16.eq (local.get $v3) (local.get $first)) (i8x16.eq (v128.load offset=48 (local.get $a)) (local.get $lastb))))
                  (i32.add (local.get $at) (i32.const 48)) (local.get $k) (local.get $hits) (local.get $n) (local.get $hitCap)))
                (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const -1))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $eachHit)))))

        ;; Offsets with 25 sample bytes from them, in the block before: its class bits ($lo) and
        ;; this block's ($hi) ANDed with themselves shifted by 1, 2, 4, 8 (runs of 16), then by 9.
        ;; The zeros are counted (bitmask of eq), so the class bits are their complement.
        (local.set $zeros
          (i64.or
            (i64.or
              (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.and
            (i8x16.swizzle (local.get $byLow) (v128.and (local.get $v0) (local.get $nibble)))
            (i8x16.swizzle (local.get $byHigh) (v128.and (i16x8.shr_u (local.get $v0) (i32.const 4)) (local.get $nibble))))
          (v128.const i64x2 0 0))))
              (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.and
            (i8x16.swizzle (local.get $byLow) (v128.and (local.get $v1) (local.get $nibble)))
            (i8x16.swizzle (local.get $byHigh) (v128.and (i16x8.shr_u (local.get $v1) (i32.const 4)) (local.get $nibble))))
          (v128.const i64x2 0 0)))) (i64.const 16)))
            (i64.or
              (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.and
            (i8x16.swizzle (local.get $byLow) (v128.and (local.get $v2) (local.get $nibble)))
            (i8x16.swizzle (local.get $byHigh) (v128.and (i16x8.shr_u (local.get $v2) (i32.const 4)) (local.get $nibble))))
          (v128.const i64x2 0 0)))) (i64.const 32))
              (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (v128.and
            (i8x16.swizzle (local.get $byLow) (v128.and (local.get $v3) (local.get $nibble)))
            (i8x16.swizzle (local.get $byHigh) (v128.and (i16x8.shr_u (local.get $v3) (i32.const 4)) (local.get $nibble))))
          (v128.const i64x2 0 0)))) (i64.const 48)))))
        (local.set $hi (i64.xor (local.get $zeros) (i64.const -1)))
        (local.set $m (local.get $lo))
        (local.set $t (local.get $hi))
        (local.set $lo (local.get $hi))
        (block $next
        (br_if $next (i32.eq (local.get $at) (i32.const 1024)))
        (local.set $m (i64.and (local.get $m) (i64.or (i64.shr_u (local.get $m) (i64.const 1)) (i64.shl (local.get $t) (i64.const 63)))))
        (local.set $t (i64.and (local.get $t) (i64.shr_u (local.get $t) (i64.const 1))))
        (local.set $m (i64.and (local.get $m) (i64.or (i64.shr_u (local.get $m) (i64.const 2)) (i64.shl (local.get $t) (i64.const 62)))))
        (local.set $t (i64.and (local.get $t) (i64.shr_u (local.get $t) (i64.const 2))))
        (local.set $m (i64.and (local.get $m) (i64.or (i64.shr_u (local.get $m) (i64.const 4)) (i64.shl (local.get $t) (i64.const 60)))))
        (local.set $t (i64.and (local.get $t) (i64.shr_u (local.get $t) (i64.const 4))))
        (local.set $m (i64.and (local.get $m) (i64.or (i64.shr_u (local.get $m) (i64.const 8)) (i64.shl (local.get $t) (i64.const 56)))))
        (local.set $t (i64.and (local.get $t) (i64.shr_u (local.get $t) (i64.const 8))))
        (local.set $m (i64.and (local.get $m) (i64.or (i64.shr_u (local.get $m) (i64.const 9)) (i64.shl (local.get $t) (i64.const 55)))))

        ;; Runs of set bits, as [a, b) pairs; most blocks of text have none, base64 all 64.
        (local.set $base (i32.sub (local.get $at) (i32.const 1088)))
        (block $bitsDone
          (loop $bits
            (if (i32.eqz (local.get $inRun))
              (then
                (br_if $bitsDone (i64.eqz (local.get $m)))
                (if (i32.ge_u (local.get $r) (local.get $runCap)) (then (return (i32.const -1))))
                (i32.store (i32.add (local.get $runs) (i32.shl (local.get $r) (i32.const 3)))
                  (i32.add (local.get $base) (i32.wrap_i64 (i64.ctz (local.get $m)))))
                ;; The bits below the start set too, so the run's end is the first clear bit.
                (local.set $m (i64.or (local.get $m) (i64.sub (i64.shl (i64.const 1) (i64.ctz (local.get $m))) (i64.const 1))))
                (local.set $inRun (i32.const 1))))
            (br_if $bitsDone (i64.eq (local.get $m) (i64.const -1)))
            (local.set $t (i64.ctz (i64.xor (local.get $m) (i64.const -1))))
            (i32.store offset=4 (i32.add (local.get $runs) (i32.shl (local.get $r) (i32.const 3)))
              (i32.add (local.get $base) (i32.wrap_i64 (local.get $t))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (local.set $inRun (i32.const 0))
            (local.set $m (i64.and (local.get $m) (i64.shl (i64.const -1) (local.get $t))))
            (br $bits)))
        ) ;; $next
        (local.set $at (i32.add (local.get $at) (i32.const 64)))
        (br $blocks)))
    (i32.store (i32.const 0) (if (result i32) (i32.lt_s (local.get $nul) (local.get $len)) (then (local.get $nul)) (else (i32.const -1))))
    (i32.store (i32.const 4) (local.get $n))
    (i32.store (i32.const 8) (local.get $r))
    (i32.const 0)))
