{
  "targets": [
    {
      "target_name": "tilewright_native",
      "sources": ["kernels.c", "pixels.c", "module.c"],
      "cflags": ["-O2", "-std=c11", "-ffp-contract=off", "-fno-fast-math", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O2", "-std=c11", "-ffp-contract=off"] },
      "conditions": [
        ["target_arch=='x64'", { "cflags": ["-msse4.1"] }]
      ]
    }
  ]
}
