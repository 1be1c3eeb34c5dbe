/*
 * polisim.h — the PoliSim agent SDK, ABI 1.
 *
 * This is the only header a plugin includes. It owns the binary contract
 * between polisim-host and an agent plugin (.so):
 *
 *   - one exported entry symbol, ps_agent_query(), returning a ps_agent_def;
 *   - every struct that crosses the boundary starts with uint32_t struct_size,
 *     and the host reads only the fields that fit in it (PS_HAS_FIELD);
 *   - the host API is an append-only table of function pointers; a plugin
 *     checks PS_API_HAS(api, fn) before calling a function newer than 1.0;
 *   - handles are opaque (ps_instance, ps_run); no third-party types appear.
 *
 * Rules for evolving this file: add fields only at the end of a struct, add
 * functions only at the end of ps_host_api, bump PS_ABI_MINOR when you do.
 * Changing or removing anything is a PS_ABI_MAJOR bump. See sdk/README.md.
 */
#ifndef POLISIM_POLISIM_H
#define POLISIM_POLISIM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PS_ABI_MAJOR 1
#define PS_ABI_MINOR 0

/* "PSAG" — first field after struct_size in ps_agent_def. */
#define PS_AGENT_MAGIC 0x50534147u

/* Marks the entry symbol as the one exported name of a plugin. */
#if defined(__GNUC__)
#define PS_EXPORT __attribute__((visibility("default")))
#else
#define PS_EXPORT
#endif

/* True when a struct of the given (caller-declared) size holds FIELD. */
#define PS_HAS_FIELD(ptr, type, field) \
    ((ptr) != NULL && (size_t)(ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/* True when the host API table offers FN (and it is not NULL). */
#define PS_API_HAS(api, fn) (PS_HAS_FIELD((api), ps_host_api, fn) && (api)->fn != NULL)

/* Limits on MessagePack a plugin hands the host (emit_custom data, the
 * consensus report): one map with string keys, at most this many bytes,
 * this nesting depth and this many entries over the whole tree. */
#define PS_MSGPACK_MAX_BYTES 65536
#define PS_MSGPACK_MAX_DEPTH 16
#define PS_MSGPACK_MAX_ENTRIES 4096

/* ---- error codes: callbacks return 0 or one of these ------------------- */
enum ps_error {
    PS_OK = 0,
    PS_EINVAL = -1,      /* bad argument or input */
    PS_ENOMEM = -2,      /* out of memory */
    PS_ECANCELED = -3,   /* the run was cancelled (timeout or shutdown) */
    PS_EIO = -4,         /* could not read or write something */
    PS_ENOTSUP = -5,     /* not supported by this plugin or host */
    PS_EFAILED = -6,     /* the analysis itself failed */
    PS_ELIMIT = -7       /* a host limit was hit (size, count, depth) */
};

/* ---- opaque handles ------------------------------------------------------ */
typedef struct ps_instance ps_instance; /* one configured agent */
typedef struct ps_run ps_run;           /* one agent's part in one analysis */

/* ---- roles ---------------------------------------------------------------- */
enum ps_role {
    PS_ROLE_ANALYST = 1u << 0,   /* analyze() + debate_respond() */
    PS_ROLE_DEBATE = 1u << 1,    /* moderate() */
    PS_ROLE_CONSENSUS = 1u << 2  /* build_consensus() */
};

/* ---- declared settings ---------------------------------------------------- */
typedef enum ps_setting_type {
    PS_SETTING_STRING = 1,
    PS_SETTING_INT = 2,
    PS_SETTING_DOUBLE = 3,
    PS_SETTING_BOOL = 4
} ps_setting_type;

typedef struct ps_setting_def {
    uint32_t struct_size;
    const char *name;          /* key under the agent's `settings:` */
    ps_setting_type type;
    const char *default_value; /* as YAML text ("0.8", "true"); NULL = none */
    int required;              /* 1: the config must set it */
    const char *description;   /* one line, shown by `polisim-host plugins` */
    int has_range;             /* 1: numeric value must be in [min, max] */
    double min, max;
} ps_setting_def;

/* ---- the bill, as ingested by the host (read-only) ------------------------ */
typedef enum ps_money_kind {
    PS_MONEY_AUTHORIZATION = 1,
    PS_MONEY_APPROPRIATION = 2,
    PS_MONEY_DIRECT_SPENDING = 3,
    PS_MONEY_OTHER = 4
} ps_money_kind;

typedef enum ps_tax_kind {
    PS_TAX_CREDIT = 1,
    PS_TAX_DEDUCTION = 2,
    PS_TAX_RATE_CHANGE = 3,
    PS_TAX_EXCLUSION = 4,
    PS_TAX_OTHER = 5
} ps_tax_kind;

/* Programs a bill touches (bit mask in ps_bill.programs). */
enum ps_program {
    PS_PROGRAM_MEDICARE = 1u << 0,
    PS_PROGRAM_MEDICAID = 1u << 1,
    PS_PROGRAM_SOCIAL_SECURITY = 1u << 2,
    PS_PROGRAM_TAX = 1u << 3,
    PS_PROGRAM_DEFENSE = 1u << 4,
    PS_PROGRAM_EDUCATION = 1u << 5,
    PS_PROGRAM_HEALTH_OTHER = 1u << 6
};

/* A span of the bill text: byte offset and length into ps_bill.text. */
typedef struct ps_span {
    size_t offset;
    size_t length;
} ps_span;

typedef struct ps_section {
    uint32_t struct_size;
    const char *number;   /* "2", "101", "2(a)" for subsections */
    const char *heading;  /* "Short title" */
    int depth;            /* 0 = bill section, 1 = subsection, ... */
    ps_span span;         /* the whole section including its heading */
} ps_section;

typedef struct ps_money {
    uint32_t struct_size;
    ps_money_kind kind;
    int64_t amount_usd;       /* per fiscal year as printed; 0 when indefinite or unprinted */
    int indefinite;           /* "such sums as may be necessary" */
    int amount_printed;       /* 0: an extension whose amount is not printed */
    const uint16_t *years;    /* fiscal years, ascending */
    size_t year_count;        /* 0: no fiscal year stated (counted once) */
    int open_ended;           /* "... and each fiscal year thereafter" */
    int period_total;         /* one lump sum for the whole period (counted once) */
    int counted;              /* counts toward the bill's total (R2, R9) */
    const char *section;      /* innermost label where the money sits: "12(b)(2)(K)" */
    const char *bill_section; /* the bill's own section: "3" */
    ps_span quote;            /* the sentence that enacts it */
    const char *note;         /* why it is classified so ("of which" earmark, ...); may be NULL */
} ps_money;

typedef struct ps_tax_provision {
    uint32_t struct_size;
    ps_tax_kind kind;
    const char *section;      /* IRC section amended: "36B(b)(2)" */
    const char *bill_section; /* "5(a)" */
    ps_span quote;
} ps_tax_provision;

typedef struct ps_bill {
    uint32_t struct_size;
    const char *analysis_id;
    const char *bill_id;
    const char *title;
    const char *text;        /* UTF-8, NUL-terminated */
    size_t text_length;
    const ps_section *const *sections;
    size_t section_count;
    const ps_money *const *money;
    size_t money_count;
    const ps_tax_provision *const *tax_provisions;
    size_t tax_provision_count;
    uint32_t programs;       /* enum ps_program bits; 0 = none */
    int unquantified_effects; /* benefit/credit/FMAP changes with no printed amount (R13) */
    int window_start;        /* budget window, fiscal years (pipeline.budget_window_start) */
    int window_end;          /* ... through (pipeline.budget_window_end) */
} ps_bill;

/* ---- what an agent emits --------------------------------------------------- */
/* thought_type: "observation" | "analysis" | "hypothesis" | "evidence" |
 *               "calculation" | "concern" | "conclusion" */
typedef struct ps_thought {
    uint32_t struct_size;
    const char *thought_type;
    const char *label;           /* short title */
    const char *content;
    double confidence;           /* 0..1 */
    const char *related_section; /* may be NULL */
} ps_thought;

typedef struct ps_fiscal_impact {
    uint32_t struct_size;
    double amount_billions;      /* central estimate; + spending or revenue, see is_revenue */
    const char *time_period;     /* "FY2026-2035" */
    double confidence_low;       /* band, in billions */
    double confidence_mid;
    double confidence_high;
    int is_revenue;              /* 1: revenue effect, 0: outlays/budget authority */
} ps_fiscal_impact;

/* A finding is a claim the swarm can debate. `metric` names the quantity
 * being estimated ("total_budget_authority_usd"); two analysts that report the
 * same metric with different `value`s disagree, and the debate plugin may
 * take it up. */
typedef struct ps_finding {
    uint32_t struct_size;
    const char *category;        /* "fiscal", "economic", "healthcare", ... */
    const char *description;
    double confidence;           /* 0..1 */
    double impact_magnitude;     /* 0..1, how much it matters */
    const ps_fiscal_impact *fiscal_impact; /* may be NULL */
    const char *related_section; /* may be NULL */
    const char *metric;          /* may be NULL: not a debatable quantity */
    double value;                /* the estimate of `metric` */
    ps_span quote;               /* cited text; length 0 = none */
} ps_finding;

/* ---- debate ---------------------------------------------------------------- */
typedef struct ps_finding_record ps_finding_record; /* defined below */
typedef struct ps_position {
    uint32_t struct_size;
    const char *agent_id;
    double value;
    double confidence;
    const char *argument;
} ps_position;

/* What the moderator asks one analyst in one round. */
typedef struct ps_debate_prompt {
    uint32_t struct_size;
    int round_number;                      /* 1-based */
    const char *topic;
    const char *metric;
    const ps_position *const *positions;   /* everyone's current position */
    size_t position_count;
    const char *target_agent;              /* whose claim is challenged; may be NULL */
    const char *responder;                 /* agent id of the analyst being asked; may be NULL */
    /* Filled by the host: the responder's own findings in this analysis, so
     * a stateless analyst can argue from what it reported. */
    const struct ps_finding_record *const *own_findings;
    size_t own_finding_count;
} ps_debate_prompt;

/* An analyst's answer. `argument` must stay valid until debate_respond
 * returns; the host copies it. turn_type: "argument" | "rebuttal" |
 * "concession" | "question". */
typedef struct ps_debate_reply {
    uint32_t struct_size;
    double value;
    double confidence;
    const char *argument;
    const char *turn_type;
} ps_debate_reply;

/* Everything the analysts found, for the moderator and the consensus builder. */
struct ps_finding_record {
    uint32_t struct_size;
    const char *finding_id;      /* "fiscal-3" */
    const char *agent_id;
    const ps_finding *finding;
};

typedef struct ps_debate_outcome {
    uint32_t struct_size;
    const char *topic;
    const char *metric;
    int rounds;
    double convergence_score;
    int converged;                         /* threshold met */
    const char *stop_reason;               /* "threshold" | "max_rounds" | "stalemate" */
    const ps_position *const *positions;   /* final positions */
    size_t position_count;
} ps_debate_outcome;

typedef struct ps_swarm_view {
    uint32_t struct_size;
    const ps_bill *bill;
    const ps_finding_record *const *findings;
    size_t finding_count;
    const char *const *analysts;           /* agent ids that completed */
    size_t analyst_count;
    const ps_debate_outcome *const *debates; /* empty for the moderator */
    size_t debate_count;
    int max_debate_rounds;                 /* pipeline.max_debate_rounds */
    double convergence_threshold;          /* pipeline.convergence_threshold */
    double consensus_threshold;            /* pipeline.consensus_threshold */
} ps_swarm_view;

typedef struct ps_convergence {
    uint32_t struct_size;
    int round_number;
    double convergence_score;
    double previous_score;
    int threshold_met;
    const char *stop_reason;     /* NULL while the debate goes on, else
                                    "threshold" | "max_rounds" | "stalemate" */
} ps_convergence;

/* The consensus builder's verdict. consensus_level: "strong_consensus" |
 * "consensus" | "majority" | "divided". */
typedef struct ps_consensus {
    uint32_t struct_size;
    const char *consensus_level;
    double agreement;                      /* 0..1 */
    const char *const *agreed_finding_ids;
    size_t agreed_count;
    const char *const *strong_finding_ids;
    size_t strong_count;
    const char *summary;
    const void *report_msgpack;            /* optional extra report: a map; may be NULL */
    size_t report_size;
} ps_consensus;

/* ---- the host API (append-only) -------------------------------------------- */
enum ps_log_level { PS_LOG_ERROR = 0, PS_LOG_WARN = 1, PS_LOG_INFO = 2, PS_LOG_DEBUG = 3 };

typedef struct ps_host_api {
    uint32_t struct_size;
    uint16_t abi_major, abi_minor;

    /* Logging and errors (any thread). */
    void (*log)(ps_instance *inst, int level, const char *fmt, ...);
    /* Sets the message the host reports when create() or a run fails. */
    void (*set_error)(ps_instance *inst, ps_run *run, const char *fmt, ...);
    const char *(*strerror)(int code);

    /* Settings, validated and defaulted by the host. */
    const char *(*setting_string)(ps_instance *inst, const char *name);
    int64_t (*setting_int)(ps_instance *inst, const char *name);
    double (*setting_double)(ps_instance *inst, const char *name);
    int (*setting_bool)(ps_instance *inst, const char *name);
    /* Path of a data file named by a setting, resolved against the config file's folder. */
    const char *(*resolve_path)(ps_instance *inst, const char *relative, char *buf, size_t size);

    /* Runs (any thread). Emits return 0 or a PS_E* code. */
    int (*cancelled)(ps_run *run);
    int (*emit_thought)(ps_run *run, const ps_thought *thought);
    /* Stores a copy; writes the finding id ("fiscal-3") to id_out if given. */
    int (*emit_finding)(ps_run *run, const ps_finding *finding, char *id_out, size_t id_size);
    /* A plugin-defined event: delivered as `agent_event` {agent_id, name, data};
     * data must be a MessagePack map with string keys (validated). */
    int (*emit_custom)(ps_run *run, const char *name, const void *msgpack, size_t size);

    /* Debate role only. */
    int (*debate_open)(ps_run *run, const char *topic, const char *metric,
                       const char *const *participants, size_t participant_count);
    /* Asks one analyst; the host calls its debate_respond() and emits the debate_turn. */
    int (*debate_ask)(ps_run *run, const char *agent_id, const ps_debate_prompt *prompt,
                      ps_debate_reply *reply_out);
    int (*debate_converge)(ps_run *run, const ps_convergence *convergence);
    int (*debate_close)(ps_run *run, const ps_debate_outcome *outcome);

    /* Consensus role only. */
    int (*emit_consensus)(ps_run *run, const ps_consensus *consensus);
} ps_host_api;

/* ---- the agent definition --------------------------------------------------- */
typedef struct ps_agent_def {
    uint32_t struct_size;
    uint32_t magic;              /* PS_AGENT_MAGIC */
    uint16_t abi_major;          /* PS_ABI_MAJOR the plugin was built with */
    uint16_t abi_minor;
    const char *name;            /* default agent id: [a-z0-9_]+ */
    const char *label;           /* "Fiscal Analyst" */
    const char *icon;            /* short glyph for UIs */
    const char *agent_type;      /* "fiscal", "debate", ... */
    const char *version;         /* the plugin's own version */
    const char *description;
    uint32_t roles;              /* enum ps_role bits */
    const ps_setting_def *const *settings; /* NULL-terminated; may be NULL */

    /* Lifecycle (main thread). create may set *state; return 0 or PS_E*. */
    int (*create)(const ps_host_api *api, ps_instance *inst, void **state);
    void (*destroy)(void *state);

    /* Analyst role (worker threads; may run concurrently for several analyses). */
    int (*analyze)(void *state, ps_run *run, const ps_bill *bill);
    int (*debate_respond)(void *state, ps_run *run, const ps_debate_prompt *prompt,
                          ps_debate_reply *reply);

    /* Debate role: find topics in view->findings, run rounds with debate_ask. */
    int (*moderate)(void *state, ps_run *run, const ps_swarm_view *view);

    /* Consensus role: judge view->findings and view->debates, emit_consensus once. */
    int (*build_consensus)(void *state, ps_run *run, const ps_swarm_view *view);
} ps_agent_def;

/* The one entry symbol. Return NULL if this plugin cannot run on that host. */
typedef const ps_agent_def *(*ps_agent_query_fn)(uint16_t host_abi_major, uint16_t host_abi_minor);
#define PS_AGENT_QUERY_SYMBOL "ps_agent_query"

PS_EXPORT const ps_agent_def *ps_agent_query(uint16_t host_abi_major, uint16_t host_abi_minor);

/* Conveniences (header-only; nothing here changes the ABI):
 *   static const ps_agent_def def = {PS_AGENT_DEF_HEADER, .name = "x", ...};
 *   PS_AGENT_QUERY_RETURNING(def)
 * The header fields say which SDK the plugin was built with; the query
 * returns the definition to a host of the same major and NULL otherwise. */
#define PS_AGENT_DEF_HEADER                                                                                     \
    .struct_size = sizeof(ps_agent_def), .magic = PS_AGENT_MAGIC, .abi_major = PS_ABI_MAJOR,                    \
    .abi_minor = PS_ABI_MINOR
#define PS_AGENT_QUERY_RETURNING(def)                                                                           \
    PS_EXPORT const ps_agent_def *ps_agent_query(uint16_t host_abi_major, uint16_t host_abi_minor)             \
    {                                                                                                           \
        (void)host_abi_minor;                                                                                   \
        return host_abi_major == PS_ABI_MAJOR ? &(def) : NULL;                                                 \
    }

#ifdef __cplusplus
}
#endif
#endif /* POLISIM_POLISIM_H */
