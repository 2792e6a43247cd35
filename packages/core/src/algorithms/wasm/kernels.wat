;; convkit's WebAssembly SIMD128 kernels, assembled at build time by scripts/build-wasm.ts into
;; kernels.generated.ts (the bytes, base64), so @convkit/core has no runtime dependency.
;;
;; Every pointer and stride below is in BYTES. The JavaScript side (wasm-kernels.ts) owns the
;; memory layout; these functions only read and write the regions they are given.
(module
  (memory (export "memory") 1)

  ;; gemm_packed: C[mPanels*4 x nPanels*8] (+)= A @ B on packed operands, the microkernel of the
  ;; blocked GEMM in gemm-blocked.ts.
  ;;   A: mPanels panels of 4 rows; panel i starts at a + i*aPanelStride and holds, for each of
  ;;      the kc inner indices, its 4 row values (16 bytes per inner index).
  ;;   B: nPanels panels of 8 columns, panel j at b + j*bPanelStride; inner index k's 8 column
  ;;      values at + 4*bRows[k], bRows an i32 table of kc float offsets. Packed B has panel stride
  ;;      kc*32 and rows 8k; a B read in place from staged input has panel stride 32 and rows
  ;;      where the input holds them: k*ldb for a pointwise convolution's NCHW planes, or the
  ;;      shifted window of each (channel, tap) in a zero-padded copy of the input.
  ;;   C: row-major with row stride ldc; tile (i, j) is rows 4i..4i+3, columns 8j..8j+7.
  ;; A 4x8 tile lives in 8 v128 accumulators (11 live vectors with the operands, which fits the
  ;; 16 SIMD registers of x86-64 and the 32 of arm64). j is the outer loop so that one B panel
  ;; (kc*32 bytes, 8 KiB for kc = 256) stays in L1 while the A panels stream from L2.
  (func (export "gemm_packed")
    (param $a i32) (param $aPanelStride i32) (param $b i32) (param $c i32) (param $ldc i32)
    (param $mPanels i32) (param $nPanels i32) (param $kc i32) (param $accumulate i32)
    (param $bPanelStride i32) (param $bRows i32)
    (local $j i32) (local $i i32) (local $k i32) (local $rowAt i32)
    (local $ap i32) (local $bp i32) (local $cp i32) (local $bPanel i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $av v128)
    (local.set $bPanel (local.get $b))
    (local.set $j (i32.const 0))
    (block $doneColumns
      (loop $columns
        (br_if $doneColumns (i32.ge_u (local.get $j) (local.get $nPanels)))
        (local.set $i (i32.const 0))
        (block $doneRows
          (loop $rows
            (br_if $doneRows (i32.ge_u (local.get $i) (local.get $mPanels)))
            ;; cp = c + 4i*ldc + 32j
            (local.set $cp (i32.add (local.get $c)
              (i32.add (i32.mul (i32.shl (local.get $i) (i32.const 2)) (local.get $ldc))
                       (i32.shl (local.get $j) (i32.const 5)))))
            (if (local.get $accumulate)
              (then
                (local.set $c00 (v128.load offset=0 (local.get $cp)))
                (local.set $c01 (v128.load offset=16 (local.get $cp)))
                (local.set $c10 (v128.load offset=0 (i32.add (local.get $cp) (local.get $ldc))))
                (local.set $c11 (v128.load offset=16 (i32.add (local.get $cp) (local.get $ldc))))
                (local.set $c20 (v128.load offset=0 (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1)))))
                (local.set $c21 (v128.load offset=16 (i32.add (local.get $cp) (i32.shl (local.get $ldc) (i32.const 1)))))
                (local.set $c30 (v128.load offset=0 (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3)))))
                (local.set $c31 (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (local.get $ldc) (i32.const 3))))))
              (else
                (local.set $c00 (v128.const i32x4 0 0 0 0))
                (local.set $c01 (v128.const i32x4 0 0 0 0))
                (local.set $c10 (v128.const i32x4 0 0 0 0))
                (local.set $c11 (v128.const i32x4 0 0 0 0))
                (local.set $c20 (v128.const i32x4 0 0 0 0))
                (local.set $c21 (v128.const i32x4 0 0 0 0))
                (local.set $c30 (v128.const i32x4 0 0 0 0))
                (local.set $c31 (v128.const i32x4 0 0 0 0))))
            (local.set $ap (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aPanelStride))))
            (local.set $rowAt (local.get $bRows))
            (local.set $k (local.get $kc))
            ;; The inner product: per inner index, two B vectors, four broadcast A values, 8 mul+add.
            (loop $inner
              (local.set $bp (i32.add (local.get $bPanel) (i32.shl (i32.load (local.get $rowAt)) (i32.const 2))))
              (local.set $b0 (v128.load offset=0 (local.get $bp)))
              (local.set $b1 (v128.load offset=16 (local.get $bp)))
              (local.set $av (v128.load32_splat offset=0 (local.get $ap)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat offset=4 (local.get $ap)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat offset=8 (local.get $ap)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $av (v128.load32_splat offset=12 (local.get $ap)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $av) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $av) (local.get $b1))))
              (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
              (local.set $rowAt (i32.add (local.get $rowAt) (i32.const 4)))
              (local.set $k (i32.sub (local.get $k) (i32.const 1)))
              (br_if $inner (local.get $k)))
            (v128.store offset=0 (local.get $cp) (local.get $c00))
            (v128.store offset=16 (local.get $cp) (local.get $c01))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
            (v128.store offset=0 (local.get $cp) (local.get $c10))
            (v128.store offset=16 (local.get $cp) (local.get $c11))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
            (v128.store offset=0 (local.get $cp) (local.get $c20))
            (v128.store offset=16 (local.get $cp) (local.get $c21))
            (local.set $cp (i32.add (local.get $cp) (local.get $ldc)))
            (v128.store offset=0 (local.get $cp) (local.get $c30))
            (v128.store offset=16 (local.get $cp) (local.get $c31))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $rows)))
        (local.set $bPanel (i32.add (local.get $bPanel) (local.get $bPanelStride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $columns))))

  ;; depthwise_rows: one channel of a stride-1 depthwise convolution over a zero-padded band.
  ;;   out[r][x..x+3] = bias + sum over taps (th, tw) of w[th*kW + tw] * band[r + th*dilH][x + tw*dilW ..]
  ;; for r < rows and x < vectors*4. The band rows are bandStride bytes apart and hold at least
  ;; vectors*4 + (kW-1)*dilW floats, so every 16-byte load stays inside the row; output rows are
  ;; outStride bytes apart. Weights are kH*kW floats at w.
  (func (export "depthwise_rows")
    (param $band i32) (param $bandStride i32) (param $out i32) (param $outStride i32)
    (param $rows i32) (param $vectors i32) (param $w i32) (param $kH i32) (param $kW i32)
    (param $dilH i32) (param $dilW i32) (param $bias f32)
    (local $r i32) (local $x i32) (local $th i32) (local $tw i32)
    (local $rowIn i32) (local $tapIn i32) (local $wp i32) (local $op i32)
    (local $acc v128) (local $biasv v128) (local $dilHBytes i32) (local $dilWBytes i32)
    (local.set $biasv (f32x4.splat (local.get $bias)))
    (local.set $dilHBytes (i32.mul (local.get $dilH) (local.get $bandStride)))
    (local.set $dilWBytes (i32.shl (local.get $dilW) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $doneRows
      (loop $rowsLoop
        (br_if $doneRows (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $x (i32.const 0))
        (local.set $op (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $outStride))))
        (block $doneVectors
          (loop $vectorsLoop
            (br_if $doneVectors (i32.ge_u (local.get $x) (local.get $vectors)))
            (local.set $acc (local.get $biasv))
            (local.set $wp (local.get $w))
            ;; rowIn = band + r*bandStride + 16x
            (local.set $rowIn (i32.add (local.get $band)
              (i32.add (i32.mul (local.get $r) (local.get $bandStride)) (i32.shl (local.get $x) (i32.const 4)))))
            (local.set $th (i32.const 0))
            (block $doneTapRows
              (loop $tapRows
                (br_if $doneTapRows (i32.ge_u (local.get $th) (local.get $kH)))
                (local.set $tapIn (local.get $rowIn))
                (local.set $tw (i32.const 0))
                (block $doneTapColumns
                  (loop $tapColumns
                    (br_if $doneTapColumns (i32.ge_u (local.get $tw) (local.get $kW)))
                    (local.set $acc (f32x4.add (local.get $acc)
                      (f32x4.mul (v128.load32_splat (local.get $wp)) (v128.load (local.get $tapIn)))))
                    (local.set $wp (i32.add (local.get $wp) (i32.const 4)))
                    (local.set $tapIn (i32.add (local.get $tapIn) (local.get $dilWBytes)))
                    (local.set $tw (i32.add (local.get $tw) (i32.const 1)))
                    (br $tapColumns)))
                (local.set $rowIn (i32.add (local.get $rowIn) (local.get $dilHBytes)))
                (local.set $th (i32.add (local.get $th) (i32.const 1)))
                (br $tapRows)))
            (v128.store (local.get $op) (local.get $acc))
            (local.set $op (i32.add (local.get $op) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $vectorsLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop))))

  ;; depthwise3x3_rows: depthwise_rows for the common 3x3 kernel, with the nine weights held in
  ;; registers (splatted once) and the tap loops unrolled: nine loads, multiplies and adds per
  ;; four outputs. Without row dilation, two output rows are made per pass: they share two of
  ;; their three input rows, so each loaded vector feeds both (twelve loads per eight outputs),
  ;; and the two independent accumulators overlap their add chains. Each output still sums its
  ;; taps in the same order (bias, then row by row), so the results are those of one row a pass.
  (func (export "depthwise3x3_rows")
    (param $band i32) (param $bandStride i32) (param $out i32) (param $outStride i32)
    (param $rows i32) (param $vectors i32) (param $w i32)
    (param $dilH i32) (param $dilW i32) (param $bias f32)
    (local $r i32) (local $x i32) (local $row0 i32) (local $row1 i32) (local $row2 i32)
    (local $op i32) (local $dw i32) (local $dw2 i32) (local $end i32) (local $row3 i32) (local $op1 i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $w4 v128)
    (local $w5 v128) (local $w6 v128) (local $w7 v128) (local $w8 v128)
    (local $acc v128) (local $biasv v128) (local $acc1 v128) (local $t v128)
    (local.set $w0 (v128.load32_splat offset=0 (local.get $w)))
    (local.set $w1 (v128.load32_splat offset=4 (local.get $w)))
    (local.set $w2 (v128.load32_splat offset=8 (local.get $w)))
    (local.set $w3 (v128.load32_splat offset=12 (local.get $w)))
    (local.set $w4 (v128.load32_splat offset=16 (local.get $w)))
    (local.set $w5 (v128.load32_splat offset=20 (local.get $w)))
    (local.set $w6 (v128.load32_splat offset=24 (local.get $w)))
    (local.set $w7 (v128.load32_splat offset=28 (local.get $w)))
    (local.set $w8 (v128.load32_splat offset=32 (local.get $w)))
    (local.set $biasv (f32x4.splat (local.get $bias)))
    (local.set $dw (i32.shl (local.get $dilW) (i32.const 2)))
    (local.set $dw2 (i32.shl (local.get $dilW) (i32.const 3)))
    (local.set $r (i32.const 0))
    (block $doneRows
      (loop $rowsLoop
        (br_if $doneRows (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row0 (i32.add (local.get $band) (i32.mul (local.get $r) (local.get $bandStride))))
        (local.set $row1 (i32.add (local.get $row0) (i32.mul (local.get $dilH) (local.get $bandStride))))
        (local.set $row2 (i32.add (local.get $row1) (i32.mul (local.get $dilH) (local.get $bandStride))))
        (local.set $op (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $outStride))))
        (local.set $end (i32.add (local.get $op) (i32.shl (local.get $vectors) (i32.const 4))))
        (if (i32.and (i32.eq (local.get $dilH) (i32.const 1))
                     (i32.lt_u (i32.add (local.get $r) (i32.const 1)) (local.get $rows)))
          (then
            ;; Output rows r and r + 1: input rows r .. r + 3.
            (local.set $row3 (i32.add (local.get $row2) (local.get $bandStride)))
            (local.set $op1 (i32.add (local.get $op) (local.get $outStride)))
            (block $donePairVectors
              (loop $pairVectors
                (br_if $donePairVectors (i32.ge_u (local.get $op) (local.get $end)))
                (local.set $acc (local.get $biasv))
                (local.set $acc1 (local.get $biasv))
                (local.set $t (v128.load (local.get $row0)))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w0) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row0) (local.get $dw))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w1) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row0) (local.get $dw2))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w2) (local.get $t))))
                (local.set $t (v128.load (local.get $row1)))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w3) (local.get $t))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w0) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row1) (local.get $dw))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w4) (local.get $t))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w1) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row1) (local.get $dw2))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w5) (local.get $t))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w2) (local.get $t))))
                (local.set $t (v128.load (local.get $row2)))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w6) (local.get $t))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w3) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row2) (local.get $dw))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w7) (local.get $t))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w4) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row2) (local.get $dw2))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w8) (local.get $t))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w5) (local.get $t))))
                (local.set $t (v128.load (local.get $row3)))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w6) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row3) (local.get $dw))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w7) (local.get $t))))
                (local.set $t (v128.load (i32.add (local.get $row3) (local.get $dw2))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $w8) (local.get $t))))
                (v128.store (local.get $op) (local.get $acc))
                (v128.store (local.get $op1) (local.get $acc1))
                (local.set $row0 (i32.add (local.get $row0) (i32.const 16)))
                (local.set $row1 (i32.add (local.get $row1) (i32.const 16)))
                (local.set $row2 (i32.add (local.get $row2) (i32.const 16)))
                (local.set $row3 (i32.add (local.get $row3) (i32.const 16)))
                (local.set $op (i32.add (local.get $op) (i32.const 16)))
                (local.set $op1 (i32.add (local.get $op1) (i32.const 16)))
                (br $pairVectors)))
            (local.set $r (i32.add (local.get $r) (i32.const 2))))
          (else
            (block $doneVectors
              (loop $vectorsLoop
                (br_if $doneVectors (i32.ge_u (local.get $op) (local.get $end)))
                (local.set $acc (f32x4.add (local.get $biasv) (f32x4.mul (local.get $w0) (v128.load (local.get $row0)))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w1) (v128.load (i32.add (local.get $row0) (local.get $dw))))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w2) (v128.load (i32.add (local.get $row0) (local.get $dw2))))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w3) (v128.load (local.get $row1)))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w4) (v128.load (i32.add (local.get $row1) (local.get $dw))))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w5) (v128.load (i32.add (local.get $row1) (local.get $dw2))))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w6) (v128.load (local.get $row2)))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w7) (v128.load (i32.add (local.get $row2) (local.get $dw))))))
                (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $w8) (v128.load (i32.add (local.get $row2) (local.get $dw2))))))
                (v128.store (local.get $op) (local.get $acc))
                (local.set $row0 (i32.add (local.get $row0) (i32.const 16)))
                (local.set $row1 (i32.add (local.get $row1) (i32.const 16)))
                (local.set $row2 (i32.add (local.get $row2) (i32.const 16)))
                (local.set $op (i32.add (local.get $op) (i32.const 16)))
                (br $vectorsLoop)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))))
        (br $rowsLoop))))

  ;; im2col_packed: im2col of a 2-D zero-padded convolution, written straight into the packed B
  ;; layout of gemm_packed (panels of 8 columns, kc*32 bytes each). Rows [k0, k0+kc) of the
  ;; column matrix (row = channel*kH*kW + th*kW + tw) and output positions [col0, col0+cols)
  ;; (position = oh*outW + ow). The channels are at src, inH*inW floats each. Where stride along
  ;; the row is 1 and four consecutive outputs read four in-range inputs, one v128 moves them.
  ;; A 1x1 kernel with stride 1 and no padding makes this a plain row-major -> panel packing.
  (func (export "im2col_packed")
    (param $src i32) (param $dst i32) (param $k0 i32) (param $kc i32) (param $col0 i32) (param $cols i32)
    (param $inH i32) (param $inW i32) (param $outW i32) (param $kH i32) (param $kW i32)
    (param $strideH i32) (param $strideW i32) (param $dilH i32) (param $dilW i32)
    (param $padTop i32) (param $padLeft i32)
    (local $kk i32) (local $row i32) (local $taps i32) (local $channel i32) (local $tap i32)
    (local $th i32) (local $tw i32) (local $plane i32) (local $channelAt i32) (local $panelSkip i32)
    (local $p i32) (local $ow i32) (local $ih i32) (local $iw i32) (local $ihOk i32)
    (local $at i32) (local $rowAt i32) (local $ohStart i32) (local $owStart i32) (local $iwStart i32)
    (local.set $taps (i32.mul (local.get $kH) (local.get $kW)))
    (local.set $plane (i32.shl (i32.mul (local.get $inH) (local.get $inW)) (i32.const 2)))
    ;; After the 8th lane of a panel, jump over the other kc-1 inner indices of that panel.
    (local.set $panelSkip (i32.sub (i32.shl (local.get $kc) (i32.const 5)) (i32.const 32)))
    (local.set $ohStart (i32.div_u (local.get $col0) (local.get $outW)))
    (local.set $owStart (i32.rem_u (local.get $col0) (local.get $outW)))
    (local.set $kk (i32.const 0))
    (block $doneRows
      (loop $rows
        (br_if $doneRows (i32.ge_u (local.get $kk) (local.get $kc)))
        (local.set $row (i32.add (local.get $k0) (local.get $kk)))
        (local.set $channel (i32.div_u (local.get $row) (local.get $taps)))
        (local.set $tap (i32.sub (local.get $row) (i32.mul (local.get $channel) (local.get $taps))))
        (local.set $th (i32.div_u (local.get $tap) (local.get $kW)))
        (local.set $tw (i32.sub (local.get $tap) (i32.mul (local.get $th) (local.get $kW))))
        (local.set $channelAt (i32.add (local.get $src) (i32.mul (local.get $channel) (local.get $plane))))
        ;; ih = oh*strideH - padTop + th*dilH; iw = ow*strideW - padLeft + tw*dilW
        (local.set $ih (i32.add (i32.sub (i32.mul (local.get $ohStart) (local.get $strideH)) (local.get $padTop))
                                (i32.mul (local.get $th) (local.get $dilH))))
        (local.set $iwStart (i32.sub (i32.mul (local.get $tw) (local.get $dilW)) (local.get $padLeft)))
        (local.set $iw (i32.add (local.get $iwStart) (i32.mul (local.get $owStart) (local.get $strideW))))
        (local.set $ow (local.get $owStart))
        (local.set $ihOk (i32.lt_u (local.get $ih) (local.get $inH)))
        (local.set $rowAt (i32.add (local.get $channelAt) (i32.shl (i32.mul (local.get $ih) (local.get $inW)) (i32.const 2))))
        (local.set $at (i32.add (local.get $dst) (i32.shl (local.get $kk) (i32.const 5))))
        (local.set $p (i32.const 0))
        (block $donePositions
          (loop $positions
            (br_if $donePositions (i32.ge_u (local.get $p) (local.get $cols)))
            (if (i32.and
                  (i32.and
                    (i32.and (local.get $ihOk) (i32.eq (local.get $strideW) (i32.const 1)))
                    (i32.and (i32.eqz (i32.and (local.get $p) (i32.const 3)))
                             (i32.le_u (i32.add (local.get $p) (i32.const 4)) (local.get $cols))))
                  (i32.and
                    (i32.and (i32.ge_s (local.get $iw) (i32.const 0))
                             (i32.le_s (i32.add (local.get $iw) (i32.const 4)) (local.get $inW)))
                    (i32.le_u (i32.add (local.get $ow) (i32.const 4)) (local.get $outW))))
              (then
                (v128.store (local.get $at)
                  (v128.load (i32.add (local.get $rowAt) (i32.shl (local.get $iw) (i32.const 2)))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
                (local.set $iw (i32.add (local.get $iw) (i32.const 4)))
                (local.set $at (i32.add (local.get $at) (i32.const 16))))
              (else
                (f32.store (local.get $at)
                  (if (result f32) (i32.and (local.get $ihOk) (i32.lt_u (local.get $iw) (local.get $inW)))
                    (then (f32.load (i32.add (local.get $rowAt) (i32.shl (local.get $iw) (i32.const 2)))))
                    (else (f32.const 0))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
                (local.set $iw (i32.add (local.get $iw) (local.get $strideW)))
                (local.set $at (i32.add (local.get $at) (i32.const 4)))))
            (if (i32.eqz (i32.and (local.get $p) (i32.const 7)))
              (then (local.set $at (i32.add (local.get $at) (local.get $panelSkip)))))
            (if (i32.eq (local.get $ow) (local.get $outW))
              (then
                (local.set $ow (i32.const 0))
                (local.set $iw (local.get $iwStart))
                (local.set $ih (i32.add (local.get $ih) (local.get $strideH)))
                (local.set $ihOk (i32.lt_u (local.get $ih) (local.get $inH)))
                (local.set $rowAt (i32.add (local.get $channelAt) (i32.shl (i32.mul (local.get $ih) (local.get $inW)) (i32.const 2))))))
            (br $positions)))
        (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
        (br $rows))))

  ;; copy_rows: copies `rows` rows of rowBytes bytes (a multiple of 4) from src (rows srcStride
  ;; bytes apart) to dst (rows dstStride bytes apart), e.g. input rows into the middle of a
  ;; zero-padded band. The regions must not overlap. The rows are short (an image row: hundreds of
  ;; bytes) and many, so they move in v128 loads and stores: a memory.copy per row costs a call
  ;; out of the module each time, more than the copy itself.
  (func (export "copy_rows")
    (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32)
    (param $rowBytes i32) (param $rows i32)
    (local $from i32) (local $to i32) (local $stop i32) (local $vectorStop i32)
    (block $done
      (loop $copy
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $from (local.get $src))
        (local.set $to (local.get $dst))
        (local.set $stop (i32.add (local.get $dst) (local.get $rowBytes)))
        (local.set $vectorStop (i32.sub (local.get $stop) (i32.and (local.get $rowBytes) (i32.const 15))))
        (block $doneVectors
          (loop $vectors
            (br_if $doneVectors (i32.ge_u (local.get $to) (local.get $vectorStop)))
            (v128.store (local.get $to) (v128.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (i32.const 16)))
            (local.set $to (i32.add (local.get $to) (i32.const 16)))
            (br $vectors)))
        (block $doneScalars
          (loop $scalars
            (br_if $doneScalars (i32.ge_u (local.get $to) (local.get $stop)))
            (f32.store (local.get $to) (f32.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (i32.const 4)))
            (local.set $to (i32.add (local.get $to) (i32.const 4)))
            (br $scalars)))
        (local.set $src (i32.add (local.get $src) (local.get $srcStride)))
        (local.set $dst (i32.add (local.get $dst) (local.get $dstStride)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $copy))))

  ;; store_block: the epilogue of a finished C block, written where the output wants it with its
  ;; bias added. Row r of the block (src + r*srcStride, columns col0 .. col0+cols-1 of the GEMM)
  ;; goes to output row dst + r*dstStride, plus the f32 at bias + r*biasStride. GEMM column q is
  ;; output position (q / lineIn) * lineOut + q % lineIn, kept where q % lineIn < lineOut: a
  ;; windowed B computes lineIn - lineOut dropped columns per output row; elsewhere lineIn =
  ;; lineOut and every column is kept. The adds are f32 adds, as in the TypeScript store.
  (func (export "store_block")
    (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32)
    (param $rows i32) (param $col0 i32) (param $cols i32) (param $lineIn i32) (param $lineOut i32)
    (param $bias i32) (param $biasStride i32)
    (local $r i32) (local $q i32) (local $end i32) (local $runEnd i32) (local $lineStart i32)
    (local $from i32) (local $to i32) (local $stop i32) (local $b f32) (local $bv v128)
    (local.set $end (i32.add (local.get $col0) (local.get $cols)))
    (local.set $r (i32.const 0))
    (block $doneRows
      (loop $eachRow
        (br_if $doneRows (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $b (f32.load (i32.add (local.get $bias) (i32.mul (local.get $r) (local.get $biasStride)))))
        (local.set $bv (f32x4.splat (local.get $b)))
        (local.set $q (local.get $col0))
        (block $doneRuns
          (loop $runs
            (br_if $doneRuns (i32.ge_u (local.get $q) (local.get $end)))
            ;; The run of kept columns of one output row: [q, runEnd).
            (local.set $lineStart (i32.mul (i32.div_u (local.get $q) (local.get $lineIn)) (local.get $lineIn)))
            (local.set $runEnd (i32.add (local.get $lineStart) (local.get $lineOut)))
            (if (i32.gt_u (local.get $runEnd) (local.get $end)) (then (local.set $runEnd (local.get $end))))
            (if (i32.lt_u (local.get $q) (local.get $runEnd))
              (then
                (local.set $from (i32.add (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $srcStride)))
                  (i32.shl (i32.sub (local.get $q) (local.get $col0)) (i32.const 2))))
                (local.set $to (i32.add (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $dstStride)))
                  (i32.shl (i32.add (i32.mul (i32.div_u (local.get $q) (local.get $lineIn)) (local.get $lineOut))
                                    (i32.sub (local.get $q) (local.get $lineStart))) (i32.const 2))))
                (local.set $stop (i32.add (local.get $to) (i32.shl (i32.sub (local.get $runEnd) (local.get $q)) (i32.const 2))))
                (block $doneVectors
                  (loop $vectors
                    (br_if $doneVectors (i32.gt_u (i32.add (local.get $to) (i32.const 16)) (local.get $stop)))
                    (v128.store (local.get $to) (f32x4.add (v128.load (local.get $from)) (local.get $bv)))
                    (local.set $from (i32.add (local.get $from) (i32.const 16)))
                    (local.set $to (i32.add (local.get $to) (i32.const 16)))
                    (br $vectors)))
                (block $doneScalars
                  (loop $scalars
                    (br_if $doneScalars (i32.ge_u (local.get $to) (local.get $stop)))
                    (f32.store (local.get $to) (f32.add (f32.load (local.get $from)) (local.get $b)))
                    (local.set $from (i32.add (local.get $from) (i32.const 4)))
                    (local.set $to (i32.add (local.get $to) (i32.const 4)))
                    (br $scalars)))))
            (local.set $q (i32.add (local.get $lineStart) (local.get $lineIn)))
            (br $runs)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $eachRow))))

  ;; pack_rows: packs B for gemm_packed from rows read in place: for each of kc inner indices k,
  ;; the cols floats at src + 4*rows[k] (rows: an i32 table of float offsets) go to panels of 8
  ;; columns, kc*32 bytes each, at dst. Whole panels are moved (two v128 per inner index), so a
  ;; partial last panel reads up to 7 floats past its row (the stage pads for them) into lanes
  ;; that are never stored. Used where many A panels reuse each B panel, so that B sits
  ;; contiguous in L1 instead of in kc scattered rows.
  (func (export "pack_rows")
    (param $src i32) (param $rows i32) (param $dst i32) (param $kc i32) (param $cols i32)
    (local $kk i32) (local $from i32) (local $to i32) (local $end i32) (local $panelStride i32)
    (local.set $panelStride (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $kk (i32.const 0))
    (block $doneRows
      (loop $eachRow
        (br_if $doneRows (i32.ge_u (local.get $kk) (local.get $kc)))
        (local.set $from (i32.add (local.get $src)
          (i32.shl (i32.load (i32.add (local.get $rows) (i32.shl (local.get $kk) (i32.const 2)))) (i32.const 2))))
        (local.set $end (i32.add (local.get $from) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $kk) (i32.const 5))))
        (block $donePanels
          (loop $panels
            (br_if $donePanels (i32.ge_u (local.get $from) (local.get $end)))
            (v128.store offset=0 (local.get $to) (v128.load offset=0 (local.get $from)))
            (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
            (local.set $from (i32.add (local.get $from) (i32.const 32)))
            (local.set $to (i32.add (local.get $to) (local.get $panelStride)))
            (br $panels)))
        (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
        (br $eachRow))))
)
