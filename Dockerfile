# syntax=docker/dockerfile:1
# One image for every part of the federation: the six services, the key ceremony
# and the scenario runner. docker-compose.yml picks what a container runs with its
# `command` (node -r tsconfig-paths/register dist/<project>/src/main.js).
#
# NODE_IMAGE names the base image: the official one by default, or the stand-in
# made from Debian's packages where Docker Hub cannot be reached (README,
# "Running it in containers"). `npm run compose:check` builds the runtime-base
# stage here, then docker/app/Dockerfile on it with what it compiled on this
# machine, in place of the build stage.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- runtime-base: what the federation's code runs on
FROM ${NODE_IMAGE} AS runtime-base
WORKDIR /app
# tsconfig-paths reads this at run time to resolve @myna/* into dist/libs.
ENV NODE_ENV=production \
    TS_NODE_PROJECT=/app/tsconfig.runtime.json
# Key folders, owned by the unprivileged user: a named volume mounted on an empty
# folder of the image takes that folder's owner and mode when it is first used.
# /keys-all/<service> is where the key ceremony writes (one volume per service);
# /keys is where a service container mounts its own volume, read-only;
# /keys-all/operators is where it writes the operators' credentials;
# /reports is where the scenario runner writes its reports;
# /cards is the card reader's store of the demo's cards.
RUN mkdir -p /keys /reports /cards \
      /keys-all/code-issuer /keys-all/exchange-hub /keys-all/tax-agency \
      /keys-all/pension-agency /keys-all/health-agency /keys-all/myna-portal \
      /keys-all/operators \
 && chown -R node:node /keys /keys-all /reports /cards \
 && chmod 700 /keys /keys-all/* /cards

# ---- build: install everything, compile every app and tool, keep production deps only
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are not needed (Nx, msgpackr and @parcel/watcher use their prebuilt packages).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json tsconfig.runtime.json ./
COPY apps ./apps
COPY libs ./libs
COPY tools ./tools
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: compiled code, production node_modules (tsconfig-paths included), no sources
FROM runtime-base AS runtime
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.runtime.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The application files stay owned by root: the service cannot rewrite its own code.
USER node
CMD ["node", "-e", "console.log('Pick a command: see docker-compose.yml')"]
