#pragma once
// QCustomPlot 2.1's header iterates with `foreach` inside two templates, but ui/ builds with
// QT_NO_FOREACH (which removes the macro). Give the header an equivalent range-for for the length
// of the include only, so our own code stays foreach-free. Include this instead of <qcustomplot.h>.
#include <QtGlobal>
#include <utility>

#if defined(QT_NO_FOREACH) && !defined(foreach)
#define RECLENS_QCP_FOREACH
#define foreach(variable, container) for (variable : std::as_const(container))
#endif
#include <qcustomplot.h>
#ifdef RECLENS_QCP_FOREACH
#undef foreach
#undef RECLENS_QCP_FOREACH
#endif
