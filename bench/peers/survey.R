# R survey::rake on a bench problem (ungrouped, no caps). Usage: Rscript survey.R <problem dir> <weights out.f64>
# Prints one JSON line. Its stopping rule differs from the engine's (see eps below); bench/run.js measures the
# margin residual the peer actually reached.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
# survey stops when the full cross-table of the raking variables moves by less than epsilon × Σw in a pass;
# 1e-6 leaves margin residuals near 1e-4 and 1e-8 about 1.3e-6, so we pass 1e-9 (override: RIM_SURVEY_EPSILON),
# which reaches ≤ 1e-6 (6e-8 on A at 20k).
eps <- as.numeric(Sys.getenv("RIM_SURVEY_EPSILON", "1e-9"))
dir <- args[1]; out <- args[2]
t0 <- proc.time()[["elapsed"]]
d <- read.csv(file.path(dir, "data.csv"))
tg <- read.csv(file.path(dir, "targets.csv"), colClasses = c("character", "integer", "character", "numeric"))
vars <- grep("^v[0-9]+$", names(d), value = TRUE)
for (v in vars) d[[v]] <- factor(d[[v]], levels = sort(unique(tg$category[tg$variable == v])))
n <- nrow(d)
read_s <- proc.time()[["elapsed"]] - t0
total <- if ("base" %in% names(d)) sum(d$base) else n
t1 <- proc.time()[["elapsed"]]
des <- if ("base" %in% names(d)) svydesign(ids = ~1, data = d, weights = ~base) else svydesign(ids = ~1, data = d, weights = rep(1, n))
sample_margins <- lapply(vars, function(v) as.formula(paste0("~", v)))
pop_margins <- lapply(vars, function(v) {
  t <- tg[tg$variable == v, ]
  df <- data.frame(factor(t$category, levels = levels(d[[v]])), t$target * total)
  names(df) <- c(v, "Freq")
  df
})
r <- rake(des, sample_margins, pop_margins, control = list(maxit = 1000, epsilon = eps, verbose = FALSE))
w <- weights(r)
rake_s <- proc.time()[["elapsed"]] - t1
writeBin(as.numeric(w), out, size = 8, endian = "little")
cat(sprintf('{"peer":"R survey::rake","version":"%s","r":"%s","timeMs":%.1f,"readMs":%.1f,"iterations":null,"epsilon":%g,"n":%d}\n',
  as.character(packageVersion("survey")), R.version$version.string, rake_s * 1000, read_s * 1000, eps, n))
