package io.capstan.predict.testutils;

import io.capstan.http.FunctionId;
import io.capstan.http.Route;
import io.capstan.http.RouteTable;
import java.util.List;

/** The predict routes of the shared route table, which the tests serve and walk. */
public final class PredictRoutes {
    private PredictRoutes() {
    }

    public static List<Route> routes() {
        return RouteTable.capstan().routesOf(FunctionId.PREDICT);
    }
}
