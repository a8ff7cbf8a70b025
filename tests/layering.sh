#!/bin/sh
# Layering is law: core/ has no Qt, ui/ has no torch headers. Fails listing the offending lines.
root=${1:-.}
status=0
if grep -rnE '#\s*include\s*[<"](Q[A-Za-z]|qcustomplot|QtCore|QtWidgets)' "$root/core"; then
  echo "layering: core/ includes Qt headers (above)"; status=1
fi
if grep -rnE '#\s*include\s*[<"](torch/|ATen/|c10/)|model_impl\.h' "$root/ui" "$root/app/gui" 2>/dev/null; then
  echo "layering: ui/ or app/gui includes torch headers (above)"; status=1
fi
if grep -rlE '#\s*include\s*[<"](torch/|ATen/|c10/)' "$root/core" --include='*.h' | grep -v '_impl\.h$'; then
  echo "layering: a public core header includes torch (above); keep torch in .cpp files and *_impl.h"; status=1
fi
[ $status -eq 0 ] && echo "layering: ok"
exit $status
